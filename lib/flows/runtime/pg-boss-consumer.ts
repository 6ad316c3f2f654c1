import type PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Db } from '@/lib/db/database';
import type { RunLimits } from '../engine/limits';
import type { ExpressionEvaluator } from '../expressions/types';
import { RUN_JOBS, type PgBossRunQueue } from './pg-boss-queue';
import { executeRun, type RunEnd } from './run-executor';
import { claimRun } from './run-store';

/**
 * Executes the runs announced on the pg-boss queue: fetches up to `concurrency` jobs at a time and,
 * for each, claims that run (claimRun with its id) and executes it.
 *
 * The run row decides, not the job: a job whose run is not claimable (finished, or held by a live
 * lease elsewhere — e.g. pg-boss re-delivered a job whose first handler is still going) completes
 * as `skipped`, and a handler that loses its run midway stops at the fence (run-store.ts). What a
 * job cannot bring back — runs released for a long retry wait, runs of a worker that died (their
 * job stays `active` until it expires) — the embedded poll loop finds in the runs table; the
 * runtime starts it alongside (start-runtime.ts).
 *
 * One fetch loop for all slots (rather than one pg-boss `work` per slot) so an idle worker costs
 * one query per poll, and a slow run never holds back the others.
 */
export interface PgBossConsumerOptions {
  queue: PgBossRunQueue;
  /** Unique per process: written as the lease owner of the runs it holds. */
  workerId: string;
  evaluator: () => ExpressionEvaluator;
  concurrency: number;
  leaseMs: number;
  /** How often an idle consumer asks for jobs (it is also woken by enqueues, see pg-notify.ts). */
  pollMs?: number;
  limits?: RunLimits;
  log?: (message: string) => void;
}

export interface PgBossConsumer {
  /** Runs being executed right now. */
  readonly busy: number;
  /** Stops fetching; waits up to `graceMs` for runs in progress (the rest resume after their lease). */
  stop(graceMs?: number): Promise<void>;
}

export type JobEnd = RunEnd | 'skipped';

const jobData = z.object({ runId: z.string().min(1).max(200) });

export function startPgBossConsumer(db: Db, opts: PgBossConsumerOptions): PgBossConsumer {
  const concurrency = Math.max(1, opts.concurrency);
  const pollMs = opts.pollMs ?? 1_000;
  const log = opts.log ?? ((m: string) => console.error(m));
  const { boss } = opts.queue;
  const inflight = new Set<Promise<void>>();
  let stopping = false;
  let wakeLoop: (() => void) | undefined;
  // A wake that comes while the loop is fetching (not sleeping) is kept for the next sleep: its job
  // may have committed after the fetch looked, and would otherwise wait for the poll.
  let woken = false;

  const unsubscribe = opts.queue.onWake(() => {
    if (wakeLoop) wakeLoop();
    else woken = true;
  });
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        wakeLoop = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeLoop = done;
    });

  const execute = async (runId: string): Promise<JobEnd> => {
    const claimed = await claimRun(db, opts.workerId, opts.leaseMs, Date.now(), runId);
    if (!claimed) return 'skipped';
    return executeRun({ db, evaluator: opts.evaluator, leaseMs: opts.leaseMs, limits: opts.limits, log }, claimed);
  };

  const handle = async (job: PgBoss.Job<unknown>) => {
    const data = jobData.safeParse(job.data);
    try {
      if (!data.success) {
        // Not ours to run (nothing else writes to this queue); retrying would not make it valid.
        log(`pg-boss job ${job.id}: not a run job; completed without running`);
        await boss.complete(RUN_JOBS, job.id, { end: 'invalid' });
        return;
      }
      const end = await execute(data.data.runId);
      await boss.complete(RUN_JOBS, job.id, { end });
    } catch (err) {
      // The run stays claimed until its lease expires; the job's retry (or the poll loop) resumes it.
      log(`run ${data.data?.runId ?? '?'}: ${describe(err)}`);
      await boss.fail(RUN_JOBS, job.id, { message: describe(err) }).catch(() => {});
    }
  };

  const loop = async () => {
    while (!stopping) {
      const free = concurrency - inflight.size;
      if (free <= 0) {
        await Promise.race(inflight);
        continue;
      }
      let jobs: PgBoss.Job<unknown>[];
      try {
        jobs = await boss.fetch<unknown>(RUN_JOBS, { batchSize: free });
      } catch (err) {
        log(`pg-boss consumer: fetch failed: ${describe(err)}`);
        jobs = [];
      }
      for (const job of jobs) {
        const p: Promise<void> = handle(job).finally(() => inflight.delete(p));
        inflight.add(p);
      }
      // Fewer jobs than free slots: the queue is drained for now; wait for an enqueue or the poll.
      if (jobs.length < free && !stopping) await sleep(pollMs);
      else woken = false; // the next fetch looks anyway
    }
  };
  const running = loop();

  return {
    get busy() {
      return inflight.size;
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      unsubscribe();
      wakeLoop?.();
      let timer: NodeJS.Timeout | undefined;
      const drained = running.then(() => Promise.allSettled([...inflight]));
      await Promise.race([drained, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    },
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error';
}
