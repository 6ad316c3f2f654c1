import { buildGraph, type FlowGraph } from '../model/graph';
import type { FlowDocument, FlowEdge, FlowNode } from '../model/schema';

/**
 * What the engine needs to know about a document, computed once per document: where each node
 * lives (the innermost For each whose body holds it, or the top level) and its incoming forward
 * edges. Loop-backs (a body node's edge back to its For each) only mark the end of an iteration.
 */
export interface Plan {
  doc: FlowDocument;
  graph: FlowGraph;
  /** Node ids in document order. */
  order: readonly string[];
  node(id: string): FlowNode;
  /** The chain of For each ids that hold a node, outermost first ([] at the top level). */
  loopsOf(id: string): readonly string[];
  incoming(id: string): readonly FlowEdge[];
  /** Forward edges out of a node (no loop-backs). */
  outgoing(id: string): readonly FlowEdge[];
  triggerId: string | undefined;
}

const cache = new WeakMap<FlowDocument, Plan>();

export function planOf(doc: FlowDocument): Plan {
  const hit = cache.get(doc);
  if (hit) return hit;
  const graph = buildGraph(doc);
  const order = [...graph.nodes.keys()];
  const loops = new Map<string, string[]>();
  for (const id of order) {
    const holders = [...graph.bodies].filter(([, body]) => body.has(id)).map(([fe]) => fe);
    // Outermost first: an outer body holds every inner For each and all of its body.
    holders.sort((a, b) => graph.bodies.get(b)!.size - graph.bodies.get(a)!.size);
    loops.set(id, holders);
  }
  const incoming = new Map<string, FlowEdge[]>();
  const outgoing = new Map<string, FlowEdge[]>();
  for (const e of graph.edges) {
    if (graph.isLoopBack(e)) continue;
    incoming.set(e.to.node, [...(incoming.get(e.to.node) ?? []), e]);
    outgoing.set(e.from.node, [...(outgoing.get(e.from.node) ?? []), e]);
  }
  const plan: Plan = {
    doc,
    graph,
    order,
    node: (id) => graph.nodes.get(id)!,
    loopsOf: (id) => loops.get(id) ?? [],
    incoming: (id) => incoming.get(id) ?? [],
    outgoing: (id) => outgoing.get(id) ?? [],
    triggerId: graph.triggers[0]?.id,
  };
  cache.set(doc, plan);
  return plan;
}

/** The segments of a scope prefix: `fe1#3/fe2#0/` → [['fe1', 3], ['fe2', 0]]. */
export function segmentsOf(prefix: string): [string, number][] {
  if (!prefix) return [];
  return prefix
    .slice(0, -1)
    .split('/')
    .map((s) => {
      const at = s.lastIndexOf('#');
      return [s.slice(0, at), Number(s.slice(at + 1))] as [string, number];
    });
}

/** The prefix a node's step key has when seen from `prefix`; undefined when it lives deeper. */
export function prefixFor(plan: Plan, nodeId: string, prefix: string): string | undefined {
  const chain = plan.loopsOf(nodeId);
  const segments = segmentsOf(prefix);
  if (chain.length > segments.length) return undefined;
  let out = '';
  for (let i = 0; i < chain.length; i++) {
    if (segments[i]![0] !== chain[i]) return undefined;
    out += `${segments[i]![0]}#${segments[i]![1]}/`;
  }
  return out;
}
