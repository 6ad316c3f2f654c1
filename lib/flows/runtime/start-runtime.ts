import { hostname } from 'node:os';
import type { Db } from '@/lib/db/database';
import { newId } from '@/lib/db/ids';
import { processSlot } from '@/lib/process-singleton';
import { expressionEvaluator } from '../expressions/evaluator';
import { DEFAULT_TRIGGER_TASKS, startTriggerLoop, type TriggerTask } from '../triggers/trigger-loop';
import { pruneRunHistory } from './prune-history';
import { runtimeConfig, type RuntimeConfig } from './runtime-config';
import { startRunWorkers, type RunWorkers } from './run-workers';

/**
 * Starts what executes flows in this process, per `RUNTIME` (see runtime-config.ts):
 * - run workers (embedded and worker roles): claim due runs and execute them;
 * - the trigger loop (every role but off): schedules, Dynamics pollers and history pruning, run by
 *   whichever process holds the `triggers` lease, so exactly one owner at a time installation-wide.
 * Returns a stop that ends them gracefully (runs in progress get a grace period, then resume
 * elsewhere or on the next start once their lease expires).
 */
export interface Runtime {
  readonly workerId: string;
  readonly config: RuntimeConfig;
  readonly workers?: RunWorkers;
  stop(graceMs?: number): Promise<void>;
}

const HOUR = 3_600_000;
const PRUNE_EVERY_MS = 10 * 60_000;

export async function startRuntime(db: Db, opts: { config?: RuntimeConfig; log?: (m: string) => void } = {}): Promise<Runtime> {
  const config = opts.config ?? runtimeConfig();
  const log = opts.log ?? ((m: string) => console.error(m));
  const workerId = `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  const stops: ((graceMs: number) => Promise<void>)[] = [];
  let workers: RunWorkers | undefined;

  if (config.RUNTIME === 'off') return { workerId, config, stop: async () => {} };

  if (config.RUNTIME === 'embedded' || config.RUNTIME === 'worker') {
    workers = startRunWorkers({
      db,
      workerId,
      evaluator: expressionEvaluator,
      concurrency: config.RUN_WORKERS,
      leaseMs: config.RUN_LEASE_MS,
      log,
    });
    stops.push((grace) => workers!.stop(grace));
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
    async stop(graceMs = 10_000) {
      await Promise.allSettled(stops.map((s) => s(graceMs)));
    },
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
