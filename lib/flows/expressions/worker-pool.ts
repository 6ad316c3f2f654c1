import { spawn, type ChildProcess } from 'node:child_process';
import { WORKER_SOURCE, type WorkerConfig } from './worker-source';
import { EXPRESSION_CODES, type EvaluationResult, type ExpressionScope } from './types';

/**
 * A small pool of worker PROCESSES that evaluate JSONata, one batch per worker at a time, with a
 * FIFO queue beyond that. JSONata stops a runaway itself (its `timeout` guardrail, D1012) as long
 * as evaluation keeps returning to its loop; a single long native call does not, so the host also
 * watches each expression and SIGKILLs the worker past `timeoutMs + grace`, then starts a fresh one.
 * The host never evaluates anything, so its event loop stays responsive.
 *
 * WHY processes and not worker threads: a worker thread shares the process with the server, and a
 * single large allocation in it (`$pad("", 300000000)`, a long `&` rope flattened by
 * JSON.stringify) makes V8 abort the WHOLE process although the worker has `resourceLimits`
 * (nodejs/node#47224). A child process that runs out of memory dies alone. It also gets an empty
 * environment, so no secret of the server is even present where expressions run.
 */
export interface WorkerPoolOptions {
  workers: number;
  maxOutputBytes: number;
  maxMemoryMb: number;
  maxSequence: number;
  maxDepth: number;
}

type WireResult = { ok: true; json?: string } | { ok: false; code: string; message: string; position?: number };
type WorkerMessage =
  { ready: true } | { id: number; at: number } | { id: number; results: WireResult[] } | { id: number; prototypes: PrototypeSnapshot };

/**
 * The built-in prototypes as a worker sees them: for each, its own property names, each with the
 * kind and type of the property and, for a function, its source text (`[native code]` for a
 * built-in). Tests compare snapshots before and after hostile expressions.
 */
export type PrototypeSnapshot = Record<string, string[]>;

/** How a batch ended in a worker: its results, or the index of the expression that stopped it. */
type BatchOutcome = { results: WireResult[] } | { stoppedAt: number; failure: EvaluationResult & { ok: false } };

interface Job {
  id: number;
  message: Record<string, unknown>;
  timeoutMs: number;
  signal?: AbortSignal;
  settle: (outcome: BatchOutcome | { prototypes: PrototypeSnapshot }) => void;
  fail: (reason: unknown) => void;
}

interface Slot {
  child: ChildProcess;
  /** The expression the worker said it began last, and when (host clock) the host heard it. */
  progress: { batchId: number; index: number; startedAt: number };
  job?: Job;
  timer?: NodeJS.Timeout;
  /** Why the host stopped the worker, so `exit` reports the right failure. */
  stopReason?: 'timeout' | 'abort' | 'close';
  /** Set once the worker said `ready`: only a worker that started is replaced when it dies. */
  ready: boolean;
  exited: boolean;
  exitSignal?: NodeJS.Signals | null;
  spawnError?: Error;
  /** The end of the worker's stderr (V8 writes "heap out of memory" there); never logged. */
  stderrTail: string;
  exitWaiters: (() => void)[];
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** A worker that has not begun a batch within this time is considered broken. */
const START_DEADLINE_MS = 15_000;

/** Extra time past the deadline before the hard kill, so JSONata's own D1012 usually comes first. */
export const hardKillGraceMs = (timeoutMs: number) => Math.min(250, Math.max(50, timeoutMs / 4));

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);
const closedError = () => new Error('The expression evaluator is closed.');

export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private startedCount = 0;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Evaluates a batch; an expression that stopped its worker fails alone, the others are re-run. */
  async evaluate(
    expressions: readonly string[],
    scope: ExpressionScope,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<EvaluationResult[]> {
    const results: (EvaluationResult | undefined)[] = new Array(expressions.length);
    let pending = expressions.map((text, at) => ({ at, text }));
    while (pending.length > 0) {
      const outcome = (await this.submit(
        { expressions: pending.map((p) => p.text), scope, timeoutMs, maxOutputBytes: this.options.maxOutputBytes },
        timeoutMs,
        signal,
      )) as BatchOutcome;
      if ('results' in outcome) {
        pending.forEach((p, k) => (results[p.at] = fromWire(outcome.results[k]!)));
        break;
      }
      pending = pending.filter((p, k) => {
        if (k === outcome.stoppedAt) results[p.at] = outcome.failure;
        return k !== outcome.stoppedAt;
      });
    }
    return results as EvaluationResult[];
  }

  /** The built-in prototypes as one worker sees them (for tests of prototype safety). */
  async inspectPrototypes(): Promise<PrototypeSnapshot> {
    const outcome = await this.submit({ inspect: true }, 1000);
    return (outcome as { prototypes: PrototypeSnapshot }).prototypes;
  }

  /** Number of workers started so far (tests check that a stopped worker is replaced). */
  get started(): number {
    return this.startedCount;
  }

  /** Messages sent to workers so far: one per batch (tests check a batch is one round trip). */
  get dispatched(): number {
    return this.dispatchedCount;
  }
  private dispatchedCount = 0;

  /** Process ids of the live workers (tests kill one from outside to check it is replaced). */
  get pids(): number[] {
    return [...this.slots].flatMap((s) => (s.child.pid === undefined || s.exited ? [] : [s.child.pid]));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.fail(closedError());
    await Promise.all(
      [...this.slots].map((slot) => {
        if (slot.exited) return undefined;
        slot.stopReason ??= 'close';
        const exited = new Promise<void>((resolve) => slot.exitWaiters.push(resolve));
        slot.child.kill('SIGKILL');
        return exited;
      }),
    );
  }

  private submit(
    message: Record<string, unknown>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<BatchOutcome | { prototypes: PrototypeSnapshot }> {
    if (this.closed) return Promise.reject(closedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => this.abort(job);
      const done = () => signal?.removeEventListener('abort', onAbort);
      const job: Job = {
        id: this.nextId++,
        message,
        timeoutMs,
        signal,
        settle: (outcome) => (done(), resolve(outcome)),
        fail: (reason) => (done(), reject(reason)),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = [...this.slots].find((s) => !s.job && !s.stopReason && !s.exited);
      if (!slot && this.slots.size < this.options.workers) slot = this.spawn();
      if (!slot) return;
      this.dispatch(slot, this.queue.shift()!);
    }
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    this.dispatchedCount++;
    try {
      slot.child.send({ id: job.id, ...job.message }, (err) => {
        // The channel broke (the worker is exiting): `exit` settles the job.
        if (err) slot.child.kill('SIGKILL');
      });
    } catch (err) {
      // The scope could not be serialized (a function or a symbol in it): nothing reached the worker.
      slot.job = undefined;
      const failure = {
        ok: false as const,
        code: EXPRESSION_CODES.failed,
        message: `The scope cannot be sent to the expression worker: ${(err as Error).message}`,
      };
      if ('expressions' in job.message) job.settle({ results: (job.message.expressions as string[]).map(() => failure) });
      else job.fail(err);
      this.pump();
      return;
    }
    this.setRef(slot, true);
    this.watch(slot, job, job.timeoutMs + hardKillGraceMs(job.timeoutMs), Date.now());
  }

  /** Arms the hard-kill timer; when it fires, re-arms for an expression that started later. */
  private watch(slot: Slot, job: Job, delayMs: number, dispatchedAt: number): void {
    slot.timer = setTimeout(
      () => {
        if (slot.job !== job) return;
        const limit = job.timeoutMs + hardKillGraceMs(job.timeoutMs);
        if (slot.progress.batchId !== job.id) {
          // Still starting up (node and jsonata loading) or still reading the message.
          if (Date.now() - dispatchedAt < START_DEADLINE_MS) this.watch(slot, job, limit, dispatchedAt);
          else this.stop(slot, 'timeout');
          return;
        }
        const elapsed = Date.now() - slot.progress.startedAt;
        if (elapsed < limit) this.watch(slot, job, limit - elapsed + 1, dispatchedAt);
        else this.stop(slot, 'timeout');
        // Node fires a longer delay after 1 ms (TimeoutOverflowWarning); a long one is re-armed instead.
      },
      Math.min(delayMs, MAX_TIMER_MS),
    );
    slot.timer.unref();
  }

  private stop(slot: Slot, reason: 'timeout' | 'abort'): void {
    slot.stopReason ??= reason;
    slot.child.kill('SIGKILL');
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.fail(job.signal?.reason);
      return;
    }
    const slot = [...this.slots].find((s) => s.job === job);
    if (slot) this.stop(slot, 'abort');
  }

  private spawn(): Slot {
    const config: WorkerConfig = { root: process.cwd(), maxSequence: this.options.maxSequence, maxDepth: this.options.maxDepth };
    const child: ChildProcess = spawn(
      process.execPath,
      [`--max-old-space-size=${this.options.maxMemoryMb}`, '-e', WORKER_SOURCE, JSON.stringify(config)],
      {
        cwd: config.root,
        // Nothing of the server's environment (database URLs, keys) reaches the expressions.
        env: { NODE_ENV: process.env.NODE_ENV },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'advanced',
        windowsHide: true,
      },
    );
    this.startedCount++;
    const slot: Slot = {
      child,
      progress: { batchId: -1, index: -1, startedAt: 0 },
      ready: false,
      exited: false,
      stderrTail: '',
      exitWaiters: [],
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (slot.stderrTail = (slot.stderrTail + chunk).slice(-4096)));
    child.on('message', (msg: WorkerMessage) => this.onMessage(slot, msg));
    child.on('error', (err: Error) => {
      // Spawning failed (no `exit` follows), or a kill/send failed on a worker that is going away.
      if (child.pid === undefined) {
        slot.spawnError = err;
        this.onExit(slot, null);
      }
    });
    child.on('exit', (_code, signal) => this.onExit(slot, signal));
    this.slots.add(slot);
    this.setRef(slot, false);
    return slot;
  }

  /** An idle worker must not keep the host process alive; a busy one must. */
  private setRef(slot: Slot, ref: boolean): void {
    const handles = [slot.child, slot.child.channel, slot.child.stderr] as ({ ref?: () => void; unref?: () => void } | null | undefined)[];
    for (const h of handles) (ref ? h?.ref : h?.unref)?.call(h);
  }

  private onMessage(slot: Slot, msg: WorkerMessage): void {
    if ('ready' in msg) {
      slot.ready = true;
      return;
    }
    const job = slot.job;
    if (!job || job.id !== msg.id || slot.stopReason) return;
    if ('at' in msg) {
      slot.progress = { batchId: msg.id, index: msg.at, startedAt: Date.now() };
      return;
    }
    this.release(slot);
    job.settle('results' in msg ? { results: msg.results } : { prototypes: msg.prototypes });
    this.pump();
  }

  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.job = undefined;
    if (!slot.exited) this.setRef(slot, false);
  }

  private onExit(slot: Slot, signal: NodeJS.Signals | null): void {
    if (slot.exited) return;
    slot.exited = true;
    slot.exitSignal = signal;
    this.slots.delete(slot);
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    for (const wake of slot.exitWaiters.splice(0)) wake();
    if (job) this.settleStopped(slot, job);
    if (this.closed) return;
    this.pump();
    // Keep one warm worker, so the evaluation after a runaway does not wait for a start-up
    // (only after a worker that did start: a worker that cannot start is not retried in a loop).
    if (this.slots.size === 0 && slot.ready) this.spawn();
  }

  /** The batch of a worker that exited: which expression stopped it, and why. */
  private settleStopped(slot: Slot, job: Job): void {
    if (slot.stopReason === 'abort') return job.fail(job.signal?.reason);
    if (slot.stopReason === 'close' || this.closed) return job.fail(closedError());
    if (!('expressions' in job.message)) return job.fail(slot.spawnError ?? new Error('The expression worker stopped.'));
    const expressions = job.message.expressions as string[];
    const started = slot.progress.batchId === job.id && slot.progress.index >= 0 && slot.progress.index < expressions.length;
    let failure: EvaluationResult & { ok: false };
    if (slot.stopReason === 'timeout') {
      failure = {
        ok: false,
        code: EXPRESSION_CODES.timeout,
        message: `The expression took longer than ${seconds(job.timeoutMs)} and was stopped.`,
      };
    } else if (/out of memory|allocation failed/i.test(slot.stderrTail)) {
      failure = {
        ok: false,
        code: EXPRESSION_CODES.tooLarge,
        message: `The expression needed more than ${this.options.maxMemoryMb} MiB of memory and was stopped.`,
      };
    } else {
      const why = slot.spawnError
        ? `it could not start (${slot.spawnError.message})`
        : `it exited${slot.exitSignal ? ` (${slot.exitSignal})` : ''}`;
      failure = { ok: false, code: EXPRESSION_CODES.engineUnavailable, message: `The expression worker stopped: ${why}.` };
    }
    if (!started) {
      // The worker died before it began (it could not start or load jsonata): every expression fails.
      return job.settle({ results: expressions.map(() => failure as WireResult) });
    }
    job.settle({ stoppedAt: slot.progress.index, failure });
  }
}

function fromWire(result: WireResult): EvaluationResult {
  if (!result.ok) return result;
  return { ok: true, value: result.json === undefined ? undefined : (JSON.parse(result.json) as unknown) };
}
