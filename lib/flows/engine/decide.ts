import type { FlowDocument } from '../model/schema';
import { DEFAULT_RUN_LIMITS, type RunLimits } from './limits';
import { planOf, prefixFor, segmentsOf, type Plan } from './plan';
import { RUN_STATE_VERSION, type ApiResponse, type RunState, type StepFailure, type StepKey, type StepState } from './run-state';

/**
 * The engine: given the document, the run state and one event, it decides what happens next.
 * Pure — no I/O, no clock, no randomness: times and retry delays come in the events, so the same
 * inputs always give the same decisions (golden fixtures replay them, R9).
 *
 * Semantics: a step runs when every incoming connection is decided and at least one was taken
 * (branches that did not run are skipped, so a step after an If runs once whichever branch ran).
 * A For each runs its body once per item, `concurrency` iterations at a time, each in its own scope
 * (step keys `<forEach>#<index>/<node>`), and follows `after` when every iteration has settled.
 */
export type EngineEvent =
  | { type: 'start'; at: number; trigger: unknown }
  | { type: 'resume'; at: number }
  | {
      type: 'succeeded';
      at: number;
      key: StepKey;
      output: unknown;
      branch?: 'then' | 'else';
      items?: readonly unknown[];
      variable?: { name: string; value: unknown };
      response?: ApiResponse;
    }
  /** `retryInMs` set: the runtime's retry policy allows another attempt after that delay. */
  | { type: 'failed'; at: number; key: StepKey; error: StepFailure; retryInMs?: number }
  /** The run must end now (cancelled, duration exceeded, lease lost for good). */
  | { type: 'abort'; at: number; error: StepFailure };

export type Command =
  | { type: 'execute'; key: StepKey; nodeId: string; attempt: number; notBefore?: number; item?: unknown; index?: number }
  | { type: 'respond'; response: ApiResponse }
  | { type: 'finish'; status: 'succeeded' | 'failed' };

export interface Decision {
  state: RunState;
  commands: Command[];
}

export function initialState(at: number): RunState {
  return { version: RUN_STATE_VERSION, status: 'running', startedAt: at, steps: {}, edges: {}, vars: {}, loops: {}, stepCount: 0 };
}

/** Running, or waiting for its next attempt (which the runtime starts once `retryAt` passes). */
const inFlight = (s: StepState) => s.status === 'running' || s.status === 'waiting';
const prefixOfKey = (key: StepKey) => key.slice(0, key.lastIndexOf('/') + 1);
const settled = (s: StepState | undefined) =>
  s !== undefined && (s.status === 'succeeded' || s.status === 'skipped' || s.continued === true);

export function decide(doc: FlowDocument, previous: RunState, event: EngineEvent, limits: RunLimits = DEFAULT_RUN_LIMITS): Decision {
  const plan = planOf(doc);
  const state: RunState = structuredClone(previous);
  const commands: Command[] = [];
  if (state.status !== 'running') return { state, commands };

  const fail = (error: StepFailure & { nodeId?: string; stepKey?: string }) => {
    state.status = 'failed';
    state.error = error;
    state.finishedAt = event.at;
    commands.length = 0;
    commands.push({ type: 'finish', status: 'failed' });
  };

  if (event.at - state.startedAt > limits.maxDurationMs) {
    fail({
      code: 'run_timeout',
      message: `The run took longer than ${Math.round(limits.maxDurationMs / 60_000)} minutes and was stopped.`,
    });
    return { state, commands };
  }

  switch (event.type) {
    case 'start': {
      const id = plan.triggerId;
      if (!id) {
        fail({ code: 'no_trigger', message: 'The flow has no trigger.' });
        return { state, commands };
      }
      state.steps[id] = { nodeId: id, status: 'succeeded', attempt: 1, output: event.trigger, startedAt: event.at, finishedAt: event.at };
      decideEdges(plan, state, id, '');
      break;
    }
    case 'resume':
      // After a crash: steps that were running (or waiting for a retry) start again with the same
      // key, so a Dynamics create lands on the record its first attempt may already have made.
      for (const [key, step] of Object.entries(state.steps)) {
        if (step.status === 'running' || step.status === 'waiting') {
          commands.push({
            type: 'execute',
            key,
            nodeId: step.nodeId,
            attempt: step.attempt,
            notBefore: step.retryAt,
            ...itemOf(state, key),
          });
        }
      }
      break;
    case 'succeeded': {
      const step = state.steps[event.key];
      if (!step || !inFlight(step)) return { state: previous, commands: [] };
      step.status = 'succeeded';
      delete step.retryAt;
      step.output = event.output;
      step.finishedAt = event.at;
      if (event.variable) state.vars[event.variable.name] = event.variable.value;
      if (event.response && !state.response) {
        state.response = event.response;
        commands.push({ type: 'respond', response: event.response });
      }
      if (event.branch) step.branch = event.branch;
      if (event.items) {
        step.status = 'running'; // until its iterations settle
        state.loops[event.key] = { items: [...event.items], next: 0, active: [], done: 0, concurrency: concurrencyOf(plan, step.nodeId) };
      } else {
        decideEdges(plan, state, event.key, prefixOfKey(event.key));
      }
      break;
    }
    case 'failed': {
      const step = state.steps[event.key];
      if (!step || !inFlight(step)) return { state: previous, commands: [] };
      if (event.retryInMs !== undefined) {
        step.status = 'waiting';
        step.attempt += 1;
        step.retryAt = event.at + event.retryInMs;
        step.error = event.error;
        state.stepCount += 1;
        commands.push({
          type: 'execute',
          key: event.key,
          nodeId: step.nodeId,
          attempt: step.attempt,
          notBefore: step.retryAt,
          ...itemOf(state, event.key),
        });
        break;
      }
      step.status = 'failed';
      delete step.retryAt;
      step.error = event.error;
      step.finishedAt = event.at;
      const onError = plan.node(step.nodeId).params.onError ?? 'fail';
      if (onError === 'fail') {
        fail({ ...event.error, nodeId: step.nodeId, stepKey: event.key });
        return { state, commands };
      }
      step.continued = true;
      step.output = { error: event.error };
      decideEdges(plan, state, event.key, prefixOfKey(event.key));
      break;
    }
    case 'abort':
      fail(event.error);
      return { state, commands };
  }

  advance(plan, state, commands, event.at);
  if (state.stepCount > limits.maxSteps) {
    fail({ code: 'too_many_steps', message: `The run executed more than ${limits.maxSteps} steps and was stopped (a runaway loop?).` });
    return { state, commands };
  }
  const busy = Object.values(state.steps).some((s) => s.status === 'running' || s.status === 'waiting');
  if (!busy && commands.every((c) => c.type !== 'execute')) {
    state.status = 'succeeded';
    state.finishedAt = event.at;
    commands.push({ type: 'finish', status: 'succeeded' });
  }
  return { state, commands };
}

function concurrencyOf(plan: Plan, nodeId: string): number {
  const c = (plan.node(nodeId).params.inputs as { concurrency?: unknown }).concurrency;
  return typeof c === 'number' && c >= 1 ? Math.floor(c) : 1;
}

/** `$item` and `$index` of the innermost iteration a step key runs in. */
function itemOf(state: RunState, key: StepKey): { item?: unknown; index?: number } {
  const prefix = prefixOfKey(key);
  if (!prefix) return {};
  const loopKey = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('#'));
  const index = segmentsOf(prefix).at(-1)![1];
  return { item: state.loops[loopKey]?.items[index], index };
}

/** Records which of a settled step's outgoing connections are taken and which are skipped. */
function decideEdges(plan: Plan, state: RunState, key: StepKey, prefix: string): void {
  const step = state.steps[key]!;
  for (const e of plan.outgoing(step.nodeId)) {
    if (e.from.handle === 'each') continue;
    let taken: boolean;
    if (step.status === 'skipped') taken = false;
    else if (step.continued) {
      const onError = plan.node(step.nodeId).params.onError;
      taken =
        onError === 'route' ? e.from.handle === 'error' : e.from.handle !== 'error' && e.from.handle !== 'else' && e.from.handle !== 'each';
    } else if (step.branch) taken = e.from.handle === step.branch;
    else taken = e.from.handle !== 'error';
    state.edges[prefix + e.id] = taken ? 'taken' : 'skipped';
  }
}

/** Scopes in progress: the top level and every active iteration. */
function activeScopes(state: RunState): string[] {
  const scopes = [''];
  for (const [loopKey, loop] of Object.entries(state.loops)) for (const i of loop.active) scopes.push(`${loopKey}#${i}/`);
  return scopes;
}

/** Starts iterations, settles finished loops, skips dead steps and starts ready ones, until nothing changes. */
function advance(plan: Plan, state: RunState, commands: Command[], at: number): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const [loopKey, loop] of Object.entries(state.loops)) {
      const feId = state.steps[loopKey]!.nodeId;
      // Iterations whose every body step settled are done; their records are in run_steps, so the
      // state forgets them (a 5,000-item loop does not carry 5,000 iterations in every write).
      for (const i of [...loop.active]) {
        const prefix = `${loopKey}#${i}/`;
        const members = plan.order.filter((id) => plan.loopsOf(id).at(-1) === feId);
        if (members.every((id) => settled(state.steps[prefix + id]))) {
          loop.active = loop.active.filter((x) => x !== i);
          loop.done += 1;
          for (const k of Object.keys(state.steps)) if (k.startsWith(prefix)) delete state.steps[k];
          for (const k of Object.keys(state.edges)) if (k.startsWith(prefix)) delete state.edges[k];
          for (const k of Object.keys(state.loops)) if (k.startsWith(prefix)) delete state.loops[k];
          changed = true;
        }
      }
      while (loop.active.length < loop.concurrency && loop.next < loop.items.length) {
        loop.active.push(loop.next++);
        changed = true;
      }
      if (loop.active.length === 0 && loop.next >= loop.items.length) {
        const fe = state.steps[loopKey]!;
        fe.status = 'succeeded';
        fe.finishedAt = at;
        fe.output = { count: loop.items.length };
        delete state.loops[loopKey];
        decideEdges(plan, state, loopKey, prefixOfKey(loopKey));
        changed = true;
      }
    }
    for (const prefix of activeScopes(state)) {
      const innermost = segmentsOf(prefix).at(-1)?.[0];
      for (const id of plan.order) {
        if (plan.loopsOf(id).at(-1) !== innermost) continue;
        const key = prefix + id;
        if (state.steps[key]) continue;
        const verdict = readiness(plan, state, id, prefix);
        if (verdict === 'wait') continue;
        changed = true;
        if (verdict === 'skip') {
          state.steps[key] = { nodeId: id, status: 'skipped', attempt: 0, finishedAt: at };
          decideEdges(plan, state, key, prefix);
        } else {
          state.steps[key] = { nodeId: id, status: 'running', attempt: 1, startedAt: at };
          state.stepCount += 1;
          commands.push({ type: 'execute', key, nodeId: id, attempt: 1, ...itemOf(state, key) });
        }
      }
    }
  }
}

function readiness(plan: Plan, state: RunState, id: string, prefix: string): 'run' | 'skip' | 'wait' {
  const incoming = plan.incoming(id);
  if (incoming.length === 0) return id === plan.triggerId ? 'wait' : 'skip';
  let anyTaken = false;
  for (const e of incoming) {
    let decision: 'taken' | 'skipped' | undefined;
    if (e.from.handle === 'each') {
      // The For each of this iteration: its `each` edges are taken by the iteration existing.
      decision = segmentsOf(prefix).at(-1)?.[0] === e.from.node ? 'taken' : undefined;
    } else {
      const sourcePrefix = prefixFor(plan, e.from.node, prefix);
      decision = sourcePrefix === undefined ? 'skipped' : state.edges[sourcePrefix + e.id];
    }
    if (decision === undefined) return 'wait';
    if (decision === 'taken') anyTaken = true;
  }
  return anyTaken ? 'run' : 'skip';
}
