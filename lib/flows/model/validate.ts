import { buildGraph, findCycles, type FlowGraph } from './graph';
import { handlesOf, kindOf } from './node-kinds';
import type { Problem } from './problem';
import { referencesIn } from './references';
import type { FlowDocument } from './schema';

/**
 * A check beyond the structural ones, such as the metadata-dependent checks to come (does the
 * column exist, does the input match the action's zod schema). Synchronous and pure like the rest:
 * a caller that needs metadata fetches it first and closes over it.
 *
 * @example const columnsExist: FlowCheck = (doc, graph) => doc.nodes.flatMap((n) => checkColumns(n, metadata))
 */
export type FlowCheck = (doc: FlowDocument, graph: FlowGraph) => readonly Problem[];

export interface ValidateOptions {
  checks?: readonly FlowCheck[];
}

const fieldOf = (path: readonly PropertyKey[]) => path.map(String).join('.');

/**
 * Structural validation of a parsed document (zod has already checked each node on its own). Pure,
 * and returns every problem rather than the first, each with the node and field it concerns and a
 * sentence a person can act on. An empty list means the flow is structurally sound.
 */
export function validateDocument(doc: FlowDocument, options: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const label = (id: string) => {
    const name = doc.nodes.find((n) => n.id === id)?.name;
    return name ? `"${name}" (${id})` : id;
  };

  // Ids are unique: everything else refers to them.
  const seenNodes = new Set<string>();
  for (const n of doc.nodes) {
    if (seenNodes.has(n.id))
      problems.push({ nodeId: n.id, field: 'id', code: 'duplicate_node_id', message: `Two steps share the id ${n.id}.` });
    seenNodes.add(n.id);
  }
  const seenEdges = new Set<string>();
  doc.edges.forEach((e, i) => {
    if (seenEdges.has(e.id))
      problems.push({ field: `edges.${i}.id`, code: 'duplicate_edge_id', message: `Two connections share the id ${e.id}.` });
    seenEdges.add(e.id);
  });

  const graph = buildGraph(doc);

  // Exactly one trigger.
  if (graph.triggers.length === 0) {
    problems.push({
      code: 'no_trigger',
      message: 'The flow has no trigger: add one step that starts it (an event, a schedule, an API request or a manual start).',
    });
  } else if (graph.triggers.length > 1) {
    for (const t of graph.triggers.slice(1)) {
      problems.push({
        nodeId: t.id,
        code: 'extra_trigger',
        message: `A flow has exactly one trigger; ${label(t.id)} is a second one beside ${label(graph.triggers[0]!.id)}.`,
      });
    }
  }

  // Edges join existing nodes through handles their kind has.
  const seenLinks = new Set<string>();
  doc.edges.forEach((e, i) => {
    const from = graph.nodes.get(e.from.node);
    const to = graph.nodes.get(e.to.node);
    if (!from) {
      problems.push({
        field: `edges.${i}.from.node`,
        code: 'edge_unknown_node',
        message: `Connection ${e.id} starts at a step that does not exist (${e.from.node}).`,
      });
    }
    if (!to) {
      problems.push({
        field: `edges.${i}.to.node`,
        code: 'edge_unknown_node',
        message: `Connection ${e.id} ends at a step that does not exist (${e.to.node}).`,
      });
    }
    if (from) {
      const kind = kindOf(from.type)!;
      const handles = handlesOf(kind, from.params.onError);
      if (!handles.includes(e.from.handle)) {
        const has = handles.length ? `it has ${handles.join(', ')}` : 'it has none: the flow ends there';
        const hint = e.from.handle === 'error' ? ' (set its on-error to "route" to give it an error path)' : '';
        problems.push({
          nodeId: from.id,
          field: `edges.${i}.from.handle`,
          code: 'edge_unknown_handle',
          message: `${kind.title} ${label(from.id)} has no "${e.from.handle}" output${hint}; ${has}.`,
        });
      }
    }
    if (to && kindOf(to.type)?.category === 'trigger') {
      problems.push({
        nodeId: to.id,
        field: `edges.${i}.to.node`,
        code: 'edge_into_trigger',
        message: `Nothing connects into the trigger ${label(to.id)}: it starts the flow.`,
      });
    }
    const link = `${e.from.node}\u0000${e.from.handle}\u0000${e.to.node}`;
    if (from && to && seenLinks.has(link)) {
      problems.push({
        nodeId: from.id,
        field: `edges.${i}`,
        code: 'duplicate_edge',
        message: `${label(from.id)} is connected to ${label(to.id)} twice.`,
      });
    }
    seenLinks.add(link);
  });

  // An on-error of "route" needs somewhere to go.
  for (const n of graph.nodes.values()) {
    if (n.params.onError === 'route' && !graph.outgoing(n.id).some((e) => e.from.handle === 'error')) {
      problems.push({
        nodeId: n.id,
        field: 'params.onError',
        code: 'error_path_missing',
        message: `${label(n.id)} routes its errors, but its error output is not connected to anything.`,
      });
    }
  }

  // No cycles outside For each bodies (a body's edge back to its For each is the next iteration).
  for (const cycle of findCycles(graph)) {
    problems.push({
      nodeId: cycle[0],
      code: 'cycle',
      message: `These steps form a loop: ${cycle.map(label).join(' → ')}. Only a For each repeats steps.`,
    });
  }

  // Every node reachable from the trigger.
  if (graph.triggers.length > 0) {
    const reached = new Set<string>();
    const queue = graph.triggers.map((t) => t.id);
    while (queue.length) {
      const id = queue.pop()!;
      if (reached.has(id)) continue;
      reached.add(id);
      for (const e of graph.outgoing(id)) queue.push(e.to.node);
    }
    for (const n of graph.nodes.values()) {
      if (!reached.has(n.id)) {
        problems.push({
          nodeId: n.id,
          code: 'unreachable',
          message: `${label(n.id)} is not connected to the trigger, so it would never run.`,
        });
      }
    }
  }

  // References only to upstream steps.
  for (const n of graph.nodes.values()) {
    const refs = referencesIn(n.params.inputs);
    if (refs.length === 0) continue;
    // Only steps that read others need their ancestors (quadratic on a long chain otherwise).
    const ancestors = graph.ancestors(n.id);
    for (const ref of refs) {
      const field = fieldOf(['params', 'inputs', ...ref.path]);
      if (!graph.nodes.has(ref.step)) {
        problems.push({
          nodeId: n.id,
          field,
          code: 'reference_unknown_step',
          message: `${label(n.id)} reads step ${ref.step}, which does not exist.`,
        });
      } else if (ref.step === n.id) {
        problems.push({
          nodeId: n.id,
          field,
          code: 'reference_self',
          message: `${label(n.id)} reads its own output, which does not exist yet when it runs.`,
        });
      } else if (!ancestors.has(ref.step)) {
        problems.push({
          nodeId: n.id,
          field,
          code: 'reference_not_upstream',
          message: `${label(n.id)} reads ${label(ref.step)}, which does not always run before it: only steps upstream of it can be read.`,
        });
      }
    }
  }

  // An API request is answered by a Response; a Response answers only an API request.
  const trigger = graph.triggers.length === 1 ? graph.triggers[0]! : undefined;
  const responses = [...graph.nodes.values()].filter((n) => n.type === 'api.response');
  if (trigger?.type === 'api.request' && responses.length === 0) {
    problems.push({
      nodeId: trigger.id,
      code: 'response_missing',
      message: 'A flow started by an API request needs a Response step to answer it.',
    });
  }
  if (trigger && trigger.type !== 'api.request') {
    for (const r of responses) {
      problems.push({
        nodeId: r.id,
        code: 'response_without_request',
        message: `${label(r.id)} answers an API request, but this flow is not started by one.`,
      });
    }
  }

  for (const check of options.checks ?? []) problems.push(...check(doc, graph));
  return problems;
}
