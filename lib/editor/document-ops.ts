/**
 * Pure edits of the editor's document: each takes a document and returns a new one (never mutates),
 * so the store can keep history by reference and React can compare by identity. Connection rules are
 * the model's own (node kinds' handles, the graph's For each bodies and cycle finder), so the canvas
 * refuses as it is drawn exactly what validation would refuse after.
 */
import { buildGraph, findCycles } from '@/lib/flows/model/graph';
import { kindOf } from '@/lib/flows/model/node-kinds';
import { newNodeId } from '@/lib/flows/model/node-ids';
import type { FlowDocument } from '@/lib/flows/model/schema';
import type { EditorDocument, EditorEdge, EditorNode } from './editor-document';

export interface Position {
  x: number;
  y: number;
}

/** The output handles a node has now: its kind's, plus `error` when its on-error routes. */
export function handlesOf(node: Pick<EditorNode, 'type' | 'params'>): string[] {
  const kind = kindOf(node.type);
  const own = kind ? [...kind.handles] : [];
  return node.params.onError === 'route' ? [...own, 'error'] : own;
}

export const isTrigger = (type: string) => kindOf(type)?.category === 'trigger';

export interface NewNode {
  type: string;
  position: Position;
  name?: string;
  accountId?: string;
  inputs?: Record<string, unknown>;
  /** Insert after this step's handle: connected from it, and taking over where that handle led. */
  after?: { node: string; handle: string };
}

export function addNode(doc: EditorDocument, spec: NewNode): { doc: EditorDocument; id: string } {
  const id = newNodeId();
  const node: EditorNode = {
    id,
    type: spec.type,
    typeVersion: 1,
    ...(spec.name ? { name: spec.name } : {}),
    position: { x: Math.round(spec.position.x), y: Math.round(spec.position.y) },
    params: { ...(spec.accountId ? { accountId: spec.accountId } : {}), inputs: spec.inputs ?? {} },
  };
  let next: EditorDocument = { ...doc, nodes: [...doc.nodes, node] };
  // A second trigger replaces nothing: validation will say there must be one. The palette offers a
  // trigger only when none exists, so this is for pasted documents.
  if (spec.after && !isTrigger(spec.type)) {
    const { node: from, handle } = spec.after;
    const displaced = next.edges.filter((e) => e.from.node === from && e.from.handle === handle);
    next = { ...next, edges: next.edges.filter((e) => !displaced.includes(e)) };
    next = connectUnchecked(next, from, handle, id);
    const onward = handlesOf(node)[0];
    for (const e of displaced) if (onward && e.to.node !== id) next = connectUnchecked(next, id, onward, e.to.node);
  }
  return { doc: next, id };
}

function connectUnchecked(doc: EditorDocument, from: string, handle: string, to: string): EditorDocument {
  const edge: EditorEdge = { id: `e${newNodeId(10)}`, from: { node: from, handle }, to: { node: to } };
  return { ...doc, edges: [...doc.edges, edge] };
}

/**
 * Why a connection may not be drawn, in plain words, or null when it may. The same rules as the
 * validator: a handle the source has, not into a trigger, not twice, no cycle other than a For
 * each body's edge back to its For each.
 */
export function connectionProblem(doc: EditorDocument, from: string, handle: string, to: string): string | null {
  const source = doc.nodes.find((n) => n.id === from);
  const target = doc.nodes.find((n) => n.id === to);
  if (!source || !target) return 'Both ends must be steps of this flow.';
  if (from === to) return 'A step cannot lead to itself.';
  if (isTrigger(target.type)) return 'Nothing can lead into the trigger: it starts the flow.';
  if (!handlesOf(source).includes(handle)) return `This step has no “${handle}” output.`;
  if (doc.edges.some((e) => e.from.node === from && e.from.handle === handle && e.to.node === to))
    return 'These steps are already connected.';
  const candidate = connectUnchecked(doc, from, handle, to);
  const before = findCycles(buildGraph(doc as unknown as FlowDocument)).length;
  const after = findCycles(buildGraph(candidate as unknown as FlowDocument)).length;
  if (after > before) return 'This would make a loop. To repeat steps, put them inside a For each.';
  return null;
}

export function connect(doc: EditorDocument, from: string, handle: string, to: string): { doc: EditorDocument; problem: string | null } {
  const problem = connectionProblem(doc, from, handle, to);
  return problem ? { doc, problem } : { doc: connectUnchecked(doc, from, handle, to), problem: null };
}

export function removeEdges(doc: EditorDocument, ids: readonly string[]): EditorDocument {
  const drop = new Set(ids);
  return { ...doc, edges: doc.edges.filter((e) => !drop.has(e.id)) };
}

/**
 * Removes steps and their connections. A removed step that sat in a line (one way in, one way out)
 * is bridged, so deleting the middle of a chain keeps the chain.
 */
export function removeNodes(doc: EditorDocument, ids: readonly string[]): EditorDocument {
  const drop = new Set(ids);
  let next = doc;
  for (const id of ids) {
    const into = next.edges.filter((e) => e.to.node === id);
    const out = next.edges.filter((e) => e.from.node === id);
    next = { ...next, edges: next.edges.filter((e) => e.to.node !== id && e.from.node !== id) };
    if (into.length === 1 && out.length === 1 && !drop.has(into[0]!.from.node) && !drop.has(out[0]!.to.node)) {
      const bridged = connect(next, into[0]!.from.node, into[0]!.from.handle, out[0]!.to.node);
      next = bridged.doc;
    }
  }
  return { ...next, nodes: next.nodes.filter((n) => !drop.has(n.id)) };
}

export function moveNodes(doc: EditorDocument, positions: Readonly<Record<string, Position>>): EditorDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = positions[n.id];
      return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
    }),
  };
}

export function updateNode(doc: EditorDocument, id: string, change: (node: EditorNode) => EditorNode): EditorDocument {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? change(n) : n)) };
}

/** Sets (or, with `undefined`, removes) the input at `path` of a step; emptied objects on the way are removed. */
export function setInput(doc: EditorDocument, id: string, path: readonly string[], value: unknown): EditorDocument {
  return updateNode(doc, id, (n) => ({ ...n, params: { ...n.params, inputs: setIn(n.params.inputs, path, value) } }));
}

function setIn(obj: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const copy = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = copy[head];
  const inner = setIn(
    typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Record<string, unknown>) : {},
    rest,
    value,
  );
  if (Object.keys(inner).length === 0) delete copy[head];
  else copy[head] = inner;
  return copy;
}

/** Reads the input at `path` of a step (undefined when absent). */
export function getInput(node: EditorNode, path: readonly string[]): unknown {
  let current: unknown = node.params.inputs;
  for (const part of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Changing the account can change the fields (two organizations differ): inputs are kept, validation says what no longer fits. */
export function setAccount(doc: EditorDocument, id: string, accountId: string | undefined): EditorDocument {
  return updateNode(doc, id, (n) => {
    const params = { ...n.params };
    if (accountId) params.accountId = accountId;
    else delete params.accountId;
    return { ...n, params };
  });
}

export function setOnError(doc: EditorDocument, id: string, onError: EditorNode['params']['onError']): EditorDocument {
  let next = updateNode(doc, id, (n) => {
    const params = { ...n.params };
    if (onError && onError !== 'fail') params.onError = onError;
    else delete params.onError;
    return { ...n, params };
  });
  // An error output only exists while errors are routed.
  if (onError !== 'route') next = { ...next, edges: next.edges.filter((e) => !(e.from.node === id && e.from.handle === 'error')) };
  return next;
}

export function setRetry(doc: EditorDocument, id: string, retry: EditorNode['params']['retry']): EditorDocument {
  return updateNode(doc, id, (n) => {
    const params = { ...n.params };
    if (retry) params.retry = retry;
    else delete params.retry;
    return { ...n, params };
  });
}

export function renameNode(doc: EditorDocument, id: string, name: string): EditorDocument {
  return updateNode(doc, id, (n) => {
    const trimmed = name.trim().slice(0, 200);
    const { name: _old, ...rest } = n;
    return trimmed ? { ...rest, name: trimmed } : rest;
  });
}

/** What copy puts on the clipboard: the steps and the connections between them (not to the outside). */
export interface Clipboard {
  kind: 'dynamics-flow-designer/steps';
  version: 1;
  nodes: EditorNode[];
  edges: EditorEdge[];
}

export function copySteps(doc: EditorDocument, ids: readonly string[]): Clipboard {
  const keep = new Set(ids);
  return {
    kind: 'dynamics-flow-designer/steps',
    version: 1,
    nodes: doc.nodes.filter((n) => keep.has(n.id)),
    edges: doc.edges.filter((e) => keep.has(e.from.node) && keep.has(e.to.node)),
  };
}

export function isClipboard(value: unknown): value is Clipboard {
  const c = value as Partial<Clipboard> | null;
  return (
    typeof c === 'object' && c !== null && c.kind === 'dynamics-flow-designer/steps' && Array.isArray(c.nodes) && Array.isArray(c.edges)
  );
}

/**
 * Pastes steps with new ids (references inside their inputs to other pasted steps follow), shifted
 * by `offset`. A pasted trigger is dropped when the flow already has one.
 */
export function pasteSteps(doc: EditorDocument, clip: Clipboard, offset: Position): { doc: EditorDocument; ids: string[] } {
  const hasTrigger = doc.nodes.some((n) => isTrigger(n.type));
  const nodes = clip.nodes.filter((n) => !(hasTrigger && isTrigger(n.type)));
  const ids = new Map(nodes.map((n) => [n.id, newNodeId()]));
  const rename = (text: string) =>
    text.replace(/\$steps\.([A-Za-z0-9_]+)/g, (m, id: string) => (ids.has(id) ? `$steps.${ids.get(id)}` : m));
  const remap = (value: unknown): unknown => {
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.map(remap);
    if (typeof value !== 'object' || value === null) return value;
    const o = value as Record<string, unknown>;
    if (typeof o.expr === 'string' && Object.keys(o).length === 1) return { expr: rename(o.expr) };
    if (typeof o.ref === 'object' && o.ref !== null && Object.keys(o).length === 1) {
      const ref = o.ref as { step: string; path?: string };
      return { ref: { ...ref, step: ids.get(ref.step) ?? ref.step } };
    }
    if ('literal' in o && Object.keys(o).length === 1) return o;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, remap(v)]));
  };
  const pasted: EditorNode[] = nodes.map((n) => ({
    ...n,
    id: ids.get(n.id)!,
    position: { x: Math.round(n.position.x + offset.x), y: Math.round(n.position.y + offset.y) },
    params: { ...n.params, inputs: remap(n.params.inputs) as Record<string, unknown> },
  }));
  const edges: EditorEdge[] = clip.edges
    .filter((e) => ids.has(e.from.node) && ids.has(e.to.node))
    .map((e) => ({
      id: `e${newNodeId(10)}`,
      from: { node: ids.get(e.from.node)!, handle: e.from.handle },
      to: { node: ids.get(e.to.node)! },
    }));
  return { doc: { ...doc, nodes: [...doc.nodes, ...pasted], edges: [...doc.edges, ...edges] }, ids: [...ids.values()] };
}
