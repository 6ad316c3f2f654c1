/**
 * What changed between two versions of a flow, step by step: added, removed, changed (type, name,
 * account, inputs, retry or on-error — not position alone), and the connections added or removed.
 * `merged` is one document holding both, for drawing the diff on one canvas: removed steps keep
 * their old place. Pure.
 */
import type { EditorDocument, EditorEdge, EditorNode } from './editor-document';

export type StepChange = 'added' | 'removed' | 'changed';

export interface VersionDiff {
  steps: Map<string, StepChange>;
  edgesAdded: EditorEdge[];
  edgesRemoved: EditorEdge[];
  merged: EditorDocument;
  /** A one-line summary: "2 steps added, 1 changed, 1 connection removed". */
  summary: string;
}

const meaning = (n: EditorNode) => JSON.stringify({ type: n.type, name: n.name ?? null, params: n.params });
const edgeKey = (e: EditorEdge) => `${e.from.node}:${e.from.handle}>${e.to.node}`;

export function diffVersions(before: EditorDocument, after: EditorDocument): VersionDiff {
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  const steps = new Map<string, StepChange>();
  for (const n of after.nodes) {
    const was = old.get(n.id);
    if (!was) steps.set(n.id, 'added');
    else if (meaning(was) !== meaning(n)) steps.set(n.id, 'changed');
  }
  for (const n of before.nodes) if (!now.has(n.id)) steps.set(n.id, 'removed');
  const oldEdges = new Map(before.edges.map((e) => [edgeKey(e), e]));
  const newEdges = new Map(after.edges.map((e) => [edgeKey(e), e]));
  const edgesAdded = after.edges.filter((e) => !oldEdges.has(edgeKey(e)));
  const edgesRemoved = before.edges.filter((e) => !newEdges.has(edgeKey(e)));
  // A removed step keeps its old place unless a step of the new version sits there now: then it is
  // drawn just below, so the two can be told apart.
  const placed = after.nodes.map((n) => n.position);
  const removed = before.nodes
    .filter((n) => !now.has(n.id))
    .map((n) => {
      const p = { ...n.position };
      while (placed.some((q) => Math.abs(q.x - p.x) < 200 && Math.abs(q.y - p.y) < 90)) p.y += 110;
      placed.push(p);
      return { ...n, position: p };
    });
  const merged: EditorDocument = {
    ...after,
    nodes: [...after.nodes, ...removed],
    edges: [...after.edges, ...edgesRemoved],
  };
  const count = (k: StepChange) => [...steps.values()].filter((v) => v === k).length;
  const parts = [
    [count('added'), 'step', 'added'],
    [count('removed'), 'step', 'removed'],
    [count('changed'), 'step', 'changed'],
    [edgesAdded.length, 'connection', 'added'],
    [edgesRemoved.length, 'connection', 'removed'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what, how]) => `${n} ${what}${n === 1 ? '' : 's'} ${how}`);
  return { steps, edgesAdded, edgesRemoved, merged, summary: parts.length ? parts.join(', ') : 'No differences' };
}
