import { buildGraph } from '../model/graph';
import type { FlowDocument } from '../model/schema';
import { initialState } from './decide';
import { planOf } from './plan';
import type { RunState } from './run-state';

export type SingleStepSeed =
  | { ok: true; state: RunState }
  | { ok: false; code: 'step_not_found' | 'step_is_trigger' | 'step_in_loop' | 'step_needs_outputs'; message: string };

/**
 * "Test this step": the state a test run starts from so that the engine runs one step and nothing
 * else, on the outputs an earlier run already produced. Every step before it is copied from that
 * run (succeeded, skipped or continued with its output), the step itself is `running` (the engine's
 * `resume` starts it, as after a crash), and every other step is `skipped`, so the run ends when the
 * step settles. No engine change: the same decide() runs it. Pure.
 *
 * A step inside a For each body is refused: its `$item` only exists in an iteration of a whole run.
 */
export function singleStepState(doc: FlowDocument, source: RunState, nodeId: string, at: number): SingleStepSeed {
  const plan = planOf(doc);
  const node = doc.nodes.find((n) => n.id === nodeId);
  const title = (id: string) => {
    const n = doc.nodes.find((x) => x.id === id);
    return n?.name ? `"${n.name}"` : `step ${id}`;
  };
  if (!node) return { ok: false, code: 'step_not_found', message: `This flow has no step ${nodeId}.` };
  if (nodeId === plan.triggerId) {
    return { ok: false, code: 'step_is_trigger', message: 'The trigger is tested with "Test flow", which gives it its data.' };
  }
  if (plan.loopsOf(nodeId).length > 0) {
    return {
      ok: false,
      code: 'step_in_loop',
      message: `${title(nodeId)} runs once per item of a For each: test it with "Test flow", which gives it each item.`,
    };
  }
  const upstream = buildGraph(doc).ancestors(nodeId);
  const state = initialState(at);
  state.vars = structuredClone(source.vars);
  for (const id of plan.order) {
    if (plan.loopsOf(id).length > 0) continue; // For each body steps are not in a finished run's state
    if (id === nodeId) {
      state.steps[id] = { nodeId: id, status: 'running', attempt: 1, startedAt: at };
    } else if (upstream.has(id)) {
      const known = source.steps[id];
      if (!known || known.status === 'running' || known.status === 'waiting' || (known.status === 'failed' && !known.continued)) {
        return {
          ok: false,
          code: 'step_needs_outputs',
          message: `${title(id)} has no output from the last test to run ${title(nodeId)} on: run "Test flow" first.`,
        };
      }
      state.steps[id] = structuredClone(known);
    } else {
      state.steps[id] = { nodeId: id, status: 'skipped', attempt: 0, finishedAt: at };
    }
  }
  state.stepCount = 1;
  return { ok: true, state };
}
