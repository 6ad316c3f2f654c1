/**
 * `installSharedLimits`: makes Dataverse's limits hold across the whole installation (issue 9).
 * Call it once per process that runs flows — the embedded web server and every `npm run worker`
 * — after migrating and before the first flow step:
 *
 *   const limits = await installSharedLimits(db, { workerId: `${hostname()}:${process.pid}:${randomUUID()}` });
 *   …
 *   await limits.stop(); // on shutdown, before closing the database
 *
 * Contract:
 * - Writes this process's heartbeat (`runtime_workers`) before it resolves, then every
 *   `heartbeatMs` (default 5 s); a process is live while its heartbeat is younger than `expiryMs`
 *   (default 3 heartbeats). It rejects when that first write fails (nothing is installed then).
 * - Installs a `DbSharedLimits` with `setSharedLimits`, so every Dataverse client of this process
 *   (existing and future, whoever creates it) obeys:
 *   · a `Retry-After` (429, or a 503 with it) any process recorded for the account's environment and
 *     principal (`account_gates`): nothing is sent before it; a closure seen here holds here at once
 *     and reaches the other processes within ~250 ms (their read cache) plus the write;
 *   · this process's share of each account's concurrency cap (default 8, at most 52): the cap split
 *     between the live processes so the parts add up to it (8 over 3 is 3 + 3 + 2), at least 1 each
 *     — so with more live processes than the cap the installation may hold one request per process.
 *     A change of the process count reaches each process at its next heartbeat: while a process is
 *     joining, the sum may exceed the cap for up to one heartbeat (Dataverse's own 429s, obeyed as
 *     above, remain the backstop). A process whose own heartbeat has been failing for `expiryMs`
 *     keeps to 1 request per account, since the others stopped counting it.
 * - A database failure later never fails a request: the last known state is used and the failure
 *   is logged (name and message only, at most every 30 s).
 * - `stop()` ends the heartbeat, removes the limits from the process (if still the installed ones),
 *   waits for closures being written and deletes the worker's row, so the other processes take
 *   its share at their next heartbeat. Idempotent.
 * - workerId must be unique per process (a restart should use a new one).
 */
import type { Db } from '@/lib/db/database';
import { setSharedLimits, sharedLimits } from '@/lib/dynamics/client/throttle/shared-limits';
import { pruneAccountGates } from './account-gates';
import { DbSharedLimits } from './db-shared-limits';
import { beatWorker, HEARTBEAT_MS, liveWorkerIds, pruneWorkers, removeWorker } from './worker-heartbeat';

export interface InstallSharedLimitsOptions {
  workerId: string;
  /** `embedded` or `worker` (default `worker`); stored with the heartbeat for diagnostics. */
  kind?: string;
  heartbeatMs?: number;
  /** Default 3 × heartbeatMs. */
  expiryMs?: number;
  /** How long a gate read is trusted (default 250 ms). */
  cacheMs?: number;
  log?: (message: string) => void;
}

export interface InstalledSharedLimits {
  /** The installed implementation (its live worker list, for diagnostics and tests). */
  readonly limits: DbSharedLimits;
  stop(): Promise<void>;
}

/** Rows of processes dead this long, and gates open this long, are deleted (housekeeping, every ~minute). */
const PRUNE_AFTER_MS = 60 * 60_000;
const PRUNE_EVERY_BEATS = 12;

export async function installSharedLimits(db: Db, options: InstallSharedLimitsOptions): Promise<InstalledSharedLimits> {
  const workerId = options.workerId.trim();
  if (!workerId || workerId.length > 200) throw new Error('installSharedLimits: workerId must be 1 to 200 characters.');
  const heartbeatMs = Math.max(10, options.heartbeatMs ?? HEARTBEAT_MS);
  const expiryMs = Math.max(heartbeatMs, options.expiryMs ?? 3 * heartbeatMs);
  const worker = { id: workerId, kind: options.kind ?? 'worker' };
  const log = options.log ?? ((m: string) => console.error(m));
  const limits = new DbSharedLimits(db, {
    workerId,
    expiryMs,
    log,
    ...(options.cacheMs !== undefined ? { cacheMs: options.cacheMs } : {}),
  });

  const beat = async (): Promise<void> => {
    const now = Date.now();
    await beatWorker(db, worker, now);
    limits.setLiveWorkers(await liveWorkerIds(db, now, expiryMs), now);
  };
  await beat();
  setSharedLimits(limits);

  let stopped = false;
  let beats = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error');
  const tick = async (): Promise<void> => {
    try {
      await beat();
      if (++beats % PRUNE_EVERY_BEATS === 0) {
        const before = Date.now() - PRUNE_AFTER_MS;
        await pruneWorkers(db, before);
        await pruneAccountGates(db, before);
        limits.forgetOpenGates();
      }
    } catch (err) {
      log(`shared limits: heartbeat failed: ${describe(err)}`);
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, heartbeatMs);
    // The heartbeat alone must not keep a finished process alive.
    timer.unref();
  };
  schedule();

  return {
    limits,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await running;
      if (sharedLimits() === limits) setSharedLimits(undefined);
      await limits.flush();
      await removeWorker(db, workerId).catch((err: unknown) => log(`shared limits: removing the worker failed: ${describe(err)}`));
    },
  };
}
