import type { Db } from '@/lib/db/database';
import type { RunLimits } from '../engine/limits';
import type { ExpressionEvaluator } from '../expressions/types';
import { onRunEnqueued } from './run-queue';
import { executeRun, type RunExecutorDeps } from './run-executor';
import { claimRun } from './run-store';

/**
 * The embedded workers: `concurrency` loops in this process that claim due runs from the runs
 * table and execute them. A loop with nothing to do sleeps until a run is enqueued in this process
 * (`onRunEnqueued`) or `pollMs` passes — the poll finds runs enqueued by other processes, retries
 * whose wait is over, and runs whose worker died (their lease expired), which it resumes.
 */
export interface RunWorkersOptions {
  db: Db;
  /** Unique per process: written as the lease owner of the runs it holds. */
  workerId: string;
  evaluator: () => ExpressionEvaluator;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  limits?: RunLimits;
  log?: (message: string) => void;
  onStep?: RunExecutorDeps['onStep'];
}

export interface RunWorkers {
  /** Runs being executed right now. */
  readonly busy: number;
  /** Stops claiming; waits up to `graceMs` for runs in progress (the rest resume after their lease). */
  stop(graceMs?: number): Promise<void>;
}

export const DEFAULT_RUN_LEASE_MS = 30_000;

export function startRunWorkers(opts: RunWorkersOptions): RunWorkers {
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  const leaseMs = opts.leaseMs ?? DEFAULT_RUN_LEASE_MS;
  const pollMs = opts.pollMs ?? 1_000;
  const log = opts.log ?? ((m: string) => console.error(m));
  let stopping = false;
  let busy = 0;
  const sleepers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...sleepers]) wake();
  };
  // One sleeper per wake; a loop that found work wakes the next, so a burst fans out over the
  // loops without every enqueue sending all of them to an empty claim.
  const wakeOne = () => sleepers.values().next().value?.();
  const unsubscribe = onRunEnqueued(wakeOne);

  const idle = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      sleepers.add(done);
    });

  const loop = async () => {
    while (!stopping) {
      let claimed;
      try {
        claimed = await claimRun(opts.db, opts.workerId, leaseMs, Date.now());
      } catch (err) {
        log(`run worker: claim failed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}`);
        await idle();
        continue;
      }
      if (!claimed) {
        await idle();
        continue;
      }
      wakeOne();
      busy += 1;
      try {
        await executeRun({ db: opts.db, evaluator: opts.evaluator, leaseMs, limits: opts.limits, log, onStep: opts.onStep }, claimed);
      } catch (err) {
        // The run stays claimed until its lease expires; then a worker resumes it.
        log(`run ${claimed.id}: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}`);
      } finally {
        busy -= 1;
      }
    }
  };
  const loops = Array.from({ length: concurrency }, () => loop());

  return {
    get busy() {
      return busy;
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      unsubscribe();
      wakeAll();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(loops), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    },
  };
}
