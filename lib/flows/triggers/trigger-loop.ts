import type { Db } from '@/lib/db/database';
import { acquireLease } from '@/lib/flows/runtime/lease';
import { pollDueFlows } from './dynamics-poller';
import { fireDueSchedules } from './scheduler';

export const TRIGGER_LEASE = 'triggers';
export const TRIGGER_LEASE_TTL_MS = 15_000;

/** One unit of single-owner trigger work, run each tick by the lease holder. */
export type TriggerTask = (db: Db, ctx: { now: Date; signal: AbortSignal }) => Promise<unknown>;

/** The schedules, then the Dynamics event triggers (each failing account is logged inside and survived). */
export const DEFAULT_TRIGGER_TASKS: readonly TriggerTask[] = [
  (db, { now }) => fireDueSchedules(db, { now }),
  (db, { now, signal }) => pollDueFlows(db, { now, signal }),
];

export interface TriggerLoopOptions {
  holder: string;
  tickMs?: number;
  signal?: AbortSignal;
  tasks?: readonly TriggerTask[];
  /** Where failures go: only the error's name and message, never a request or a secret. */
  log?: (message: string) => void;
}

/**
 * Every tick (default 1 s) tries to hold the `triggers` lease; the holder runs the tasks. Ticks never
 * overlap (the next is scheduled after the previous finished), and a failing task is logged and
 * survived: the next tick tries again.
 */
export function startTriggerLoop(db: Db, options: TriggerLoopOptions): { stop(): Promise<void> } {
  const tickMs = options.tickMs ?? 1_000;
  const tasks = options.tasks ?? DEFAULT_TRIGGER_TASKS;
  const log = options.log ?? ((m: string) => console.error(m));
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error');
  const tick = async () => {
    try {
      if (!(await acquireLease(db, TRIGGER_LEASE, options.holder, TRIGGER_LEASE_TTL_MS))) return;
      for (const task of tasks) {
        if (controller.signal.aborted) return;
        try {
          await task(db, { now: new Date(), signal: controller.signal });
        } catch (err) {
          log(`trigger task failed: ${describe(err)}`);
        }
      }
    } catch (err) {
      log(`trigger tick failed: ${describe(err)}`);
    }
  };
  const schedule = () => {
    if (controller.signal.aborted) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, tickMs);
  };
  schedule();
  return {
    async stop() {
      controller.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
