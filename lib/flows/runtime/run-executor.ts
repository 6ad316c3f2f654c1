import type { Db } from '@/lib/db/database';
import { decide, initialState, type Command, type Decision, type EngineEvent } from '../engine/decide';
import { DEFAULT_RUN_LIMITS, type RunLimits } from '../engine/limits';
import { planOf, type Plan } from '../engine/plan';
import type { ApiResponse, RunState, StepFailure } from '../engine/run-state';
import type { ExpressionEvaluator } from '../expressions/types';
import { redactSecrets } from '../steps/redact';
import { mayRetry, retriesInside, retryDelayMs, retryPolicyFor, stepExecutorFor } from '../steps/registry';
import { StepError, type StepContext, type StepOutcome } from '../steps/step-executor';
import { dynamicsWritesOf } from './record-writes';
import { resolveStepInputs } from './resolve-step-inputs';
import { notifyRunChanged } from './run-signals';
import { loadVersionDocument, renewRunLease, saveProgress, type ClaimedRun, type Progress, type StepRecord } from './run-store';
import { scopeFor } from './step-scope';

/**
 * Executes one claimed run to its end, or until it waits long for a retry (then it goes back to the
 * queue with `available_at` set), or until this worker loses it (the fence moved: another worker
 * claimed it after our lease expired — we stop and write nothing more).
 *
 * The engine decides; this does the I/O around it: it resolves each step's inputs, calls the step's
 * executor, turns the outcome into the next engine event, and saves the run state with the finished
 * step's record in one transaction on the claim's fence — durably after every step, so a crash
 * resumes from the last finished step (the engine's `resume` re-issues the steps that were running,
 * with the same step keys and so the same idempotency keys).
 */
export interface RunExecutorDeps {
  db: Db;
  evaluator: () => ExpressionEvaluator;
  now?: () => number;
  random?: () => number;
  limits?: RunLimits;
  /** How long a claim lasts without renewal; renewed every third of it. */
  leaseMs: number;
  /** A retry due later than this is handed back to the queue instead of waited for in memory. */
  maxInMemoryWaitMs?: number;
  /** Server log (run id, step key, codes and messages only). */
  log?: (message: string) => void;
  /** Timings of each finished step (benchmarks, metrics): the executor's share and the whole step with its save. */
  onStep?: (timing: StepTiming) => void;
}

export interface StepTiming {
  runId: string;
  stepKey: string;
  nodeType: string;
  /** Inside the step's executor (Dynamics, HTTP or toolbox work). */
  executorMs: number;
  /** From the step's start to its record and the next decision saved. */
  totalMs: number;
}

export type RunEnd = 'finished' | 'released' | 'lost';

type Execute = Extract<Command, { type: 'execute' }>;

export async function executeRun(deps: RunExecutorDeps, run: ClaimedRun): Promise<RunEnd> {
  const now = deps.now ?? Date.now;
  const limits = deps.limits ?? DEFAULT_RUN_LIMITS;
  const maxWait = deps.maxInMemoryWaitMs ?? 5_000;
  const log = deps.log ?? ((m: string) => console.error(m));
  const { db } = deps;

  const doc = await loadVersionDocument(db, run);
  if (!doc) {
    const at = now();
    const state: RunState = { ...initialState(at), status: 'failed', finishedAt: at };
    const error = {
      code: 'flow_version_missing',
      message: `Version ${run.flowVersion} of this flow cannot be read; the run cannot start.`,
    };
    const saved = await saveProgress(db, run, { state: { ...state, error }, steps: [], finish: { status: 'failed', error, at } });
    notifyRunChanged(run.id);
    return saved ? 'finished' : 'lost';
  }
  const plan = planOf(doc);
  const controller = new AbortController();
  let state: RunState = run.state ?? initialState(now());
  let lost = false;
  let finished = false;
  const queue: Execute[] = [];
  const deferred: Execute[] = [];

  // Saves run one after another (each is a decision applied to the state the previous one left).
  let chain: Promise<void> = Promise.resolve();
  const serially = (fn: () => Promise<void>) => (chain = chain.then(fn, fn));

  // The start decision is saved with the first step's record rather than on its own: a crash before
  // that save restarts the run from the beginning, which is the same run (same keys).
  let carried: StepRecord[] = [];
  const apply = async (
    event: EngineEvent,
    records: StepRecord[],
    flowWrites: Progress['flowWrites'] = [],
    opts: { defer?: boolean } = {},
  ) => {
    if (lost || finished) return;
    const decision: Decision = decide(doc, state, event, limits);
    state = decision.state;
    let response: ApiResponse | undefined;
    let finish: Progress['finish'];
    for (const c of decision.commands) {
      if (c.type === 'execute') queue.push(c);
      else if (c.type === 'respond') response = c.response;
      else finish = { status: c.status, error: state.error, at: state.finishedAt ?? event.at };
    }
    if (finish) finished = true;
    if (opts.defer && !finish && !response) {
      carried.push(...records);
      return;
    }
    const steps = [...carried, ...records];
    carried = [];
    const ok = await saveProgress(db, run, {
      state,
      steps,
      flowWrites,
      ...(response ? { response } : {}),
      ...(finish ? { finish } : {}),
    });
    if (!ok) {
      lost = true;
      controller.abort(new Error('lost the run'));
    }
    notifyRunChanged(run.id, {
      ...(response ? { response } : {}),
      ...(finish ? { ended: { status: finish.status, ...(state.error ? { error: state.error } : {}) } } : {}),
    });
  };

  const renewal = setInterval(
    () => {
      void renewRunLease(db, run, deps.leaseMs, now()).then(
        (held) => {
          if (!held && !finished) {
            lost = true;
            controller.abort(new Error('lost the run'));
          }
        },
        (err: unknown) => log(`run ${run.id}: lease renewal failed: ${describe(err)}`),
      );
    },
    Math.max(250, Math.floor(deps.leaseMs / 3)),
  );
  renewal.unref();

  // The duration ceiling holds even while a step is still busy (a slow HTTP call): at the deadline
  // the run ends failed and the busy step's signal aborts it.
  const deadlineIn = state.startedAt + limits.maxDurationMs - now();
  const deadline = setTimeout(
    () => {
      const minutes = Math.round(limits.maxDurationMs / 60_000);
      const message = `The run took longer than ${minutes >= 1 ? `${minutes} minutes` : `${limits.maxDurationMs} ms`} and was stopped.`;
      void serially(() => apply({ type: 'abort', at: now(), error: { code: 'run_timeout', message } }, [])).then(() =>
        controller.abort(new Error('run timed out')),
      );
    },
    Math.max(0, Math.min(deadlineIn, 2_147_000_000)),
  );
  deadline.unref();

  try {
    if (run.state === null) {
      const at = now();
      const triggerRecord: StepRecord[] = plan.triggerId
        ? [
            {
              stepKey: plan.triggerId,
              nodeId: plan.triggerId,
              nodeType: plan.node(plan.triggerId).type,
              attempt: 1,
              status: 'succeeded',
              output: redactSecrets(run.trigger),
              startedAt: at,
              finishedAt: at,
            },
          ]
        : [];
      await serially(() => apply({ type: 'start', at, trigger: run.trigger }, triggerRecord, [], { defer: true }));
    } else {
      await serially(() => apply({ type: 'resume', at: now() }, []));
    }

    const inflight = new Set<Promise<void>>();
    while (!lost && !finished) {
      while (queue.length > 0) {
        const c = queue.shift()!;
        if (c.notBefore !== undefined && c.notBefore - now() > maxWait) {
          deferred.push(c);
          continue;
        }
        const p: Promise<void> = runStep(c).finally(() => inflight.delete(p));
        inflight.add(p);
      }
      if (inflight.size === 0) break;
      await Promise.race(inflight);
    }
    await Promise.allSettled(inflight);
    await chain;
    if (lost) return 'lost';
    if (finished) return 'finished';
    if (deferred.length > 0) {
      const releaseUntil = Math.min(...deferred.map((c) => c.notBefore!));
      const ok = await saveProgress(db, run, { state, steps: carried, releaseUntil });
      notifyRunChanged(run.id);
      return ok ? 'released' : 'lost';
    }
    // The engine always ends a run it has nothing left to do for; this is a guard, not a path.
    await serially(() =>
      apply(
        { type: 'abort', at: now(), error: { code: 'engine_stalled', message: 'The run had nothing left to do but had not ended.' } },
        [],
      ),
    );
    await chain;
    return lost ? 'lost' : 'finished';
  } catch (err) {
    // Storage failed mid-run: leave the run as it is; its lease expires and a worker resumes it.
    log(`run ${run.id}: stopped by ${describe(err)}; it resumes when its lease expires`);
    controller.abort(err);
    return 'lost';
  } finally {
    clearInterval(renewal);
    clearTimeout(deadline);
  }

  async function runStep(c: Execute): Promise<void> {
    const node = plan.node(c.nodeId);
    if (c.notBefore !== undefined && c.notBefore > now()) await sleep(c.notBefore - now(), controller.signal);
    if (lost || finished) return;
    const startedAt = now();
    const t0 = performance.now();
    let executorMs = 0;
    const base = { stepKey: c.key, nodeId: c.nodeId, nodeType: node.type, attempt: c.attempt, startedAt };
    const scope = scopeFor(state, c.key, { id: run.id, flowId: run.flowId, mode: run.mode }, plan.triggerId, c);
    let input: Record<string, unknown> | undefined;
    let event: EngineEvent;
    let record: StepRecord;
    let writes: Progress['flowWrites'] = [];
    try {
      const executor = stepExecutorFor(node.type);
      if (!executor) throw new StepError('unknown_step_type', `No executor runs steps of type ${node.type}.`);
      const resolved = await resolveStepInputs(node.params.inputs, scope, deps.evaluator, controller.signal);
      if (!resolved.ok) throw new StepError(resolved.code, resolved.message);
      input = resolved.value;
      const ctx: StepContext = {
        db,
        ownerId: run.ownerId,
        flowId: run.flowId,
        runId: run.id,
        mode: run.mode,
        stepKey: c.key,
        node,
        attempt: c.attempt,
        idempotencyKey: `${run.id}:${c.key}`,
        chainDepth: run.chainDepth,
        signal: controller.signal,
        log: (level, message) => {
          if (level === 'warn' || level === 'error') log(`run ${run.id} step ${c.key}: ${message.slice(0, 500)}`);
        },
      };
      const te = performance.now();
      const outcome = await executor(ctx, input).finally(() => (executorMs = performance.now() - te));
      checkOutputSize(outcome, limits);
      const finishedAt = now();
      writes = dynamicsWritesOf(run, node.type, outcome.output, finishedAt);
      record = { ...base, status: 'succeeded', input: redactSecrets(input), output: redactSecrets(outcome.output), finishedAt };
      event = { type: 'succeeded', at: finishedAt, key: c.key, ...controlOf(outcome), output: outcome.output };
    } catch (err) {
      if (lost || finished) return;
      const failure = toFailure(err, run.id, c.key, log);
      const finishedAt = now();
      const retryInMs = retryDelayFor(plan, c, err, deps.random ?? Math.random);
      record = { ...base, status: 'failed', input: input === undefined ? undefined : redactSecrets(input), error: failure, finishedAt };
      event = { type: 'failed', at: finishedAt, key: c.key, error: failure, ...(retryInMs !== undefined ? { retryInMs } : {}) };
    }
    await serially(() => apply(event, [record], writes));
    deps.onStep?.({ runId: run.id, stepKey: c.key, nodeType: node.type, executorMs, totalMs: performance.now() - t0 });
  }
}

/** The runtime retries transient failures of steps whose executor does not retry inside itself. */
function retryDelayFor(plan: Plan, c: Execute, err: unknown, random: () => number): number | undefined {
  const node = plan.node(c.nodeId);
  if (!(err instanceof StepError) || !err.retryable || retriesInside(node.type)) return undefined;
  const policy = retryPolicyFor(node);
  if (!mayRetry(policy, c.attempt)) return undefined;
  return retryDelayMs(policy, c.attempt, random(), err.options.retryAfterMs);
}

function controlOf(o: StepOutcome): Omit<Extract<EngineEvent, { type: 'succeeded' }>, 'type' | 'at' | 'key' | 'output'> {
  return {
    ...(o.branch ? { branch: o.branch } : {}),
    ...(o.items ? { items: o.items } : {}),
    ...(o.variable ? { variable: o.variable } : {}),
    ...(o.response ? { response: o.response } : {}),
  };
}

function checkOutputSize(outcome: StepOutcome, limits: RunLimits): void {
  const text = JSON.stringify(outcome.output ?? null);
  const bytes = Buffer.byteLength(text ?? 'null');
  if (bytes > limits.maxOutputBytes) {
    throw new StepError(
      'output_too_large',
      `The step's output is ${(bytes / 1_048_576).toFixed(1)} MiB; a step may produce at most ${(limits.maxOutputBytes / 1_048_576).toFixed(0)} MiB.`,
    );
  }
}

/** A failure for the run record: a StepError's code, message and (redacted) data; anything else is hidden. */
function toFailure(err: unknown, runId: string, key: string, log: (m: string) => void): StepFailure {
  if (err instanceof StepError) {
    return {
      code: err.code,
      message: err.message,
      ...(err.options.data !== undefined ? { data: redactSecrets(err.options.data) } : {}),
    };
  }
  log(`run ${runId} step ${key}: unexpected ${describe(err)}`);
  return { code: 'step_error', message: 'The step failed unexpectedly; the server log has the details.' };
}

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error');

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
