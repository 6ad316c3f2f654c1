import { hostname } from 'node:os';
import type { Db } from '@/lib/db/database';
import { newId } from '@/lib/db/ids';
import { processSlot } from '@/lib/process-singleton';
import { expressionEvaluator } from '../expressions/evaluator';
import { DEFAULT_TRIGGER_TASKS, startTriggerLoop, type TriggerTask } from '../triggers/trigger-loop';
import type { PgBossConsumer } from './pg-boss-consumer';
import type { PgBossRunQueue } from './pg-boss-queue';
import { installSharedLimits } from './limits';
import { pruneRunHistory } from './prune-history';
import { embeddedQueue, runQueue, setRunQueue } from './run-queue';
import { runtimeConfig, type RuntimeConfig } from './runtime-config';
import { startRunWorkers, type RunWorkers } from './run-workers';

/**
 * Starts what executes flows in this process, per `RUNTIME` (see runtime-config.ts):
 * - run workers (embedded and worker roles): claim due runs and execute them;
 * - the trigger loop (every role but off): schedules, Dynamics pollers and history pruning, run by
 *   whichever process holds the `triggers` lease, so exactly one owner at a time installation-wide.
 * With `QUEUE=pg-boss` every role (web and off too: they enqueue) announces runs as pg-boss jobs,
 * and the embedded and worker roles consume them (pg-boss-consumer.ts), with the runs-table poll
 * loop beside them as the safety net.
 * Returns a stop that ends them gracefully (runs in progress get a grace period, then resume
 * elsewhere or on the next start once their lease expires).
 */
export interface Runtime {
  readonly workerId: string;
  readonly config: RuntimeConfig;
  /** The runs-table poll loop: the workers (QUEUE=embedded), or the safety net beside pg-boss. */
  readonly workers?: RunWorkers;
  /** The pg-boss consumer (QUEUE=pg-boss, embedded and worker roles). */
  readonly consumer?: PgBossConsumer;
  stop(graceMs?: number): Promise<void>;
}

const HOUR = 3_600_000;
const PRUNE_EVERY_MS = 10 * 60_000;
/**
 * Beside pg-boss, the poll loop only has to find what no job will bring: runs released for a long
 * retry wait once it is over, and runs whose worker died (their job stays active until it expires,
 * 15 minutes) once their lease expired. So it polls seldom, with a few slots.
 */
const SAFETY_NET_POLL_MS = 5_000;

export interface StartRuntimeOptions {
  config?: RuntimeConfig;
  log?: (m: string) => void;
  /**
   * QUEUE=pg-boss: the database's URL for the LISTEN connection (pg-notify.ts), `DATABASE_URL` by
   * default (the one `db` was opened from). Without one, processes learn of each other's work by
   * polling only.
   */
  databaseUrl?: string;
}

export async function startRuntime(db: Db, opts: StartRuntimeOptions = {}): Promise<Runtime> {
  const config = opts.config ?? runtimeConfig();
  const log = opts.log ?? ((m: string) => console.error(m));
  const workerId = `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  const stops: ((graceMs: number) => Promise<void>)[] = [];
  let workers: RunWorkers | undefined;

  const consumes = config.RUNTIME === 'embedded' || config.RUNTIME === 'worker';
  let consumer: PgBossConsumer | undefined;
  let queue: PgBossRunQueue | undefined;
  /** Last, after everything that enqueues or executes stopped (a trigger tick may be announcing). */
  let closeQueue = async () => {};

  if (config.QUEUE === 'pg-boss') {
    // Loaded only in this mode: the embedded default never pays for pg-boss.
    const { openPgBossQueue } = await import('./pg-boss-queue');
    const q = await openPgBossQueue(db, { supervise: consumes, log });
    // Enqueues and run changes of the other processes, heard at once rather than on the next poll.
    const url = opts.databaseUrl ?? process.env.DATABASE_URL?.trim();
    const { startRunNotifications } = await import('./pg-notify');
    const notifications = url ? await startRunNotifications(db, { url, queue: q, log }) : undefined;
    if (!url) log('QUEUE=pg-boss without a DATABASE_URL to LISTEN on: other processes are heard on their polls only');
    setRunQueue(q);
    queue = q;
    closeQueue = async () => {
      await notifications?.stop();
      if (runQueue() === q) setRunQueue(embeddedQueue);
      await q.close();
    };
  }

  const stop = async (graceMs = 10_000) => {
    await Promise.allSettled(stops.map((s) => s(graceMs)));
    await closeQueue();
  };
  if (config.RUNTIME === 'off') return { workerId, config, stop };

  // Dataverse's per-user limits across the installation: every process that may call Dataverse
  // heartbeats, takes its share of each user's concurrency and shares every Retry-After.
  const limits = await installSharedLimits(db, { workerId, kind: config.RUNTIME, log }).catch(async (err: unknown) => {
    await closeQueue();
    throw err;
  });
  stops.push(() => limits.stop());

  if (consumes && queue) {
    const { startPgBossConsumer } = await import('./pg-boss-consumer');
    const c = startPgBossConsumer(db, {
      queue,
      workerId,
      evaluator: expressionEvaluator,
      concurrency: config.RUN_WORKERS,
      leaseMs: config.RUN_LEASE_MS,
      log,
    });
    consumer = c;
    stops.push((grace) => c.stop(grace));
  }
  if (consumes) {
    // With pg-boss this is the safety net (see SAFETY_NET_POLL_MS); it is never woken by enqueues,
    // as the pg-boss queue's wake goes to the consumer only.
    const w = startRunWorkers({
      db,
      workerId,
      evaluator: expressionEvaluator,
      concurrency: queue ? Math.max(1, Math.ceil(config.RUN_WORKERS / 4)) : config.RUN_WORKERS,
      leaseMs: config.RUN_LEASE_MS,
      ...(queue ? { pollMs: SAFETY_NET_POLL_MS } : {}),
      log,
    });
    workers = w;
    stops.push((grace) => w.stop(grace));
  }

  let lastPrune = 0;
  const prune: TriggerTask = async (tx, { now }) => {
    if (now.getTime() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now.getTime();
    await pruneRunHistory(tx, { now: now.getTime(), retentionMs: config.RUN_HISTORY_DAYS * 24 * HOUR });
  };
  const triggers = startTriggerLoop(db, { holder: workerId, tasks: [...DEFAULT_TRIGGER_TASKS, prune], log });
  stops.push(() => triggers.stop());

  return {
    workerId,
    config,
    workers,
    consumer,
    stop,
  };
}

const slot = processSlot<Promise<Runtime>>('flows.runtime');

/** The process's runtime, started once (Next's instrumentation hook calls this at server start). */
export function processRuntime(getDb: () => Promise<Db>): Promise<Runtime> {
  const existing = slot.get();
  if (existing) return existing;
  const started = getDb().then((db) => startRuntime(db));
  started.catch(() => slot.set(undefined));
  slot.set(started);
  return started;
}

/** Stops the process's runtime (graceful shutdown). */
export async function stopProcessRuntime(graceMs?: number): Promise<void> {
  const pending = slot.get();
  slot.set(undefined);
  if (pending) await (await pending.catch(() => undefined))?.stop(graceMs);
}
