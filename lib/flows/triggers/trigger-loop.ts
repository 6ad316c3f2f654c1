import type { Db } from '@/lib/db/database';
import { acquireLease, renewLease } from '@/lib/flows/runtime/lease';
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
  /** The lease's time to live (default TRIGGER_LEASE_TTL_MS). */
  leaseTtlMs?: number;
  /** How often a tick in progress renews the lease (default a third of its TTL). */
  renewEveryMs?: number;
}

/**
 * Every tick (default 1 s) tries to hold the `triggers` lease; the holder runs the tasks. Ticks never
 * overlap (the next is scheduled after the previous finished), and a failing task is logged and
 * survived: the next tick tries again. A tick can outlive the lease's TTL (a slow Dataverse, a long
 * backlog, a baseline of a big table), so while it runs the lease is renewed every third of its TTL;
 * should it be lost all the same (renewal refused: another process took it after this one stalled,
 * or no renewal got through before it expired), the tick's signal aborts its tasks, which stop
 * without committing the poll in progress: two processes never poll at once.
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
  const ttlMs = options.leaseTtlMs ?? TRIGGER_LEASE_TTL_MS;
  const renewEveryMs = options.renewEveryMs ?? Math.floor(ttlMs / 3);
  const tick = async () => {
    try {
      const acquiredAt = Date.now();
      if (!(await acquireLease(db, TRIGGER_LEASE, options.holder, ttlMs, acquiredAt))) return;
      const work = new AbortController();
      const stopWork = () => work.abort();
      controller.signal.addEventListener('abort', stopWork, { once: true });
      let heldUntil = acquiredAt + ttlMs;
      const renewing = setInterval(() => {
        if (work.signal.aborted) return;
        const at = Date.now();
        if (at >= heldUntil) {
          log('trigger lease expired during a tick; stopping it');
          return work.abort();
        }
        renewLease(db, TRIGGER_LEASE, options.holder, ttlMs, at).then(
          (held) => {
            if (held) heldUntil = at + ttlMs;
            else if (!work.signal.aborted) {
              log('trigger lease lost during a tick; stopping it');
              work.abort();
            }
          },
          (err: unknown) => log(`trigger lease renewal failed: ${describe(err)}`),
        );
      }, renewEveryMs);
      try {
        for (const task of tasks) {
          if (work.signal.aborted) return;
          try {
            await task(db, { now: new Date(), signal: work.signal });
          } catch (err) {
            log(`trigger task failed: ${describe(err)}`);
          }
        }
      } finally {
        clearInterval(renewing);
        controller.signal.removeEventListener('abort', stopWork);
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
