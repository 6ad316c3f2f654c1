import { kindOf } from './node-kinds';
import type { FlowDocument, FlowEdge, FlowNode } from './schema';

/**
 * The document as a graph, for validation (and later the engine). A For each's body is every node
 * reachable from its `each` edges without passing through the For each itself; an edge from a body
 * node back to its For each is a loop-back (the next iteration), not a cycle. Every other edge is
 * a forward edge, and the forward edges must form a DAG.
 */
export interface FlowGraph {
  nodes: ReadonlyMap<string, FlowNode>;
  /** Edges whose two ends exist. */
  edges: readonly FlowEdge[];
  outgoing(nodeId: string): readonly FlowEdge[];
  /** Body node ids of each For each. */
  bodies: ReadonlyMap<string, ReadonlySet<string>>;
  isLoopBack(edge: FlowEdge): boolean;
  triggers: readonly FlowNode[];
  /** Nodes from which `nodeId` is reached over forward edges (not itself unless through a cycle). */
  ancestors(nodeId: string): ReadonlySet<string>;
}

export function buildGraph(doc: FlowDocument): FlowGraph {
  const nodes = new Map<string, FlowNode>();
  for (const n of doc.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
  const edges = doc.edges.filter((e) => nodes.has(e.from.node) && nodes.has(e.to.node));
  const out = new Map<string, FlowEdge[]>();
  for (const e of edges) out.set(e.from.node, [...(out.get(e.from.node) ?? []), e]);
  const outgoing = (id: string) => out.get(id) ?? [];

  const bodies = new Map<string, Set<string>>();
  for (const n of nodes.values()) {
    if (n.type !== 'toolbox.for_each') continue;
    const body = new Set<string>();
    const queue = outgoing(n.id)
      .filter((e) => e.from.handle === 'each')
      .map((e) => e.to.node);
    while (queue.length) {
      const id = queue.pop()!;
      if (id === n.id || body.has(id)) continue;
      body.add(id);
      for (const e of outgoing(id)) queue.push(e.to.node);
    }
    bodies.set(n.id, body);
  }
  const isLoopBack = (e: FlowEdge) => bodies.get(e.to.node)?.has(e.from.node) === true;

  const incoming = new Map<string, string[]>();
  for (const e of edges) if (!isLoopBack(e)) incoming.set(e.to.node, [...(incoming.get(e.to.node) ?? []), e.from.node]);
  const ancestorCache = new Map<string, Set<string>>();
  const ancestors = (id: string) => {
    const cached = ancestorCache.get(id);
    if (cached) return cached;
    const seen = new Set<string>();
    const queue = [...(incoming.get(id) ?? [])];
    while (queue.length) {
      const a = queue.pop()!;
      if (seen.has(a)) continue;
      seen.add(a);
      queue.push(...(incoming.get(a) ?? []));
    }
    ancestorCache.set(id, seen);
    return seen;
  };

  const triggers = [...nodes.values()].filter((n) => kindOf(n.type)?.category === 'trigger');
  return { nodes, edges, outgoing, bodies, isLoopBack, triggers, ancestors };
}

/** Strongly connected components of the forward edges that are cycles (more than one node, or a self-edge). */
export function findCycles(graph: FlowGraph): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const forward = (id: string) => graph.outgoing(id).filter((e) => !graph.isLoopBack(e));

  const connect = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const e of forward(v)) {
      const w = e.to.node;
      if (!indexOf.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
      }
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || forward(v).some((e) => e.to.node === v)) cycles.push(component.reverse());
    }
  };
  for (const id of graph.nodes.keys()) if (!indexOf.has(id)) connect(id);
  return cycles;
}
