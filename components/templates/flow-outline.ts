import { parseId } from '@/lib/dynamics/connector/ids';
import { kindOf } from '@/lib/flows/model/node-kinds';

/** What a step looks like in a small drawing: where it is and what kind of step it is. */
export type OutlineKind = 'trigger' | 'dynamics' | 'branch' | 'loop' | 'step';

export interface OutlineNode {
  id: string;
  name: string;
  kind: OutlineKind;
  x: number;
  y: number;
}

export interface OutlineEdge {
  from: string;
  to: string;
  /** The source's handle: `next`, `then`, `else`, `each`, `error`… */
  handle: string;
}

/** A flow reduced to what a card's mini drawing needs, in the document's own coordinates. */
export interface FlowOutline {
  nodes: OutlineNode[];
  edges: OutlineEdge[];
  width: number;
  height: number;
}

export const OUTLINE_NODE = { width: 180, height: 64 } as const;

interface OutlineSource {
  nodes: readonly { id: string; type: string; name?: string; position: { x: number; y: number } }[];
  edges: readonly { from: { node: string; handle: string }; to: { node: string } }[];
}

function kindOfType(type: string): OutlineKind {
  const kind = kindOf(type);
  if (kind?.category === 'trigger') return 'trigger';
  if (parseId(type)) return 'dynamics';
  if (type === 'toolbox.if') return 'branch';
  if (type === 'toolbox.for_each') return 'loop';
  return 'step';
}

/**
 * A flow's outline for a static drawing: its steps moved so the top-left one sits at 0,0, their
 * kinds, and the edges between steps that exist. Pure, small and serialisable, so a server page
 * can hand the outlines of every template to the gallery instead of one canvas per card.
 *
 * @example flowOutline(template.portable.flow) // { nodes: [{ id: 'leadCreated', kind: 'trigger', x: 0, y: 0, … }], … }
 */
export function flowOutline(document: OutlineSource): FlowOutline {
  if (document.nodes.length === 0) return { nodes: [], edges: [], width: 0, height: 0 };
  const minX = Math.min(...document.nodes.map((n) => n.position.x));
  const minY = Math.min(...document.nodes.map((n) => n.position.y));
  const nodes = document.nodes.map((n) => ({
    id: n.id,
    name: n.name ?? kindOf(n.type)?.title ?? n.type,
    kind: kindOfType(n.type),
    x: n.position.x - minX,
    y: n.position.y - minY,
  }));
  const ids = new Set(nodes.map((n) => n.id));
  const edges = document.edges
    .filter((e) => ids.has(e.from.node) && ids.has(e.to.node))
    .map((e) => ({ from: e.from.node, to: e.to.node, handle: e.from.handle }));
  const width = Math.max(...nodes.map((n) => n.x)) + OUTLINE_NODE.width;
  const height = Math.max(...nodes.map((n) => n.y)) + OUTLINE_NODE.height;
  return { nodes, edges, width, height };
}

/** The steps in the order they run (a walk from the trigger), for a drawing's text alternative. */
export function outlineOrder(outline: FlowOutline): OutlineNode[] {
  const byId = new Map(outline.nodes.map((n) => [n.id, n]));
  const start = outline.nodes.find((n) => n.kind === 'trigger') ?? outline.nodes[0];
  const seen = new Set<string>();
  const queue = start ? [start.id] : [];
  const order: OutlineNode[] = [];
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    order.push(byId.get(id)!);
    for (const e of outline.edges) if (e.from === id && !seen.has(e.to)) queue.push(e.to);
  }
  return [...order, ...outline.nodes.filter((n) => !seen.has(n.id))];
}
