import type { Db } from '@/lib/db/database';

/**
 * Live worker processes (table `runtime_workers`, migration 007): each process heartbeats its row;
 * a row whose heartbeat is older than the expiry (about three heartbeats) is a dead process and no
 * longer counts when the per-account concurrency cap is split between processes.
 */
export const HEARTBEAT_MS = 5_000;
export const WORKER_EXPIRY_MS = 3 * HEARTBEAT_MS;

export interface WorkerIdentity {
  id: string;
  /** What the process is: `embedded` (the web server running flows) or `worker` (`npm run worker`). */
  kind: string;
}

/** Records that the worker is alive now (inserting its row the first time). */
export async function beatWorker(db: Db, worker: WorkerIdentity, now: number = Date.now()): Promise<void> {
  await db.db
    .insertInto('runtime_workers')
    .values({ id: worker.id, kind: worker.kind, started_at: now, heartbeat_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ kind: worker.kind, heartbeat_at: now }))
    .execute();
}

/** Ids of the workers whose heartbeat is younger than `expiryMs`, sorted (a stable order every process agrees on). */
export async function liveWorkerIds(db: Db, now: number = Date.now(), expiryMs: number = WORKER_EXPIRY_MS): Promise<string[]> {
  const rows = await db.db
    .selectFrom('runtime_workers')
    .select('id')
    .where('heartbeat_at', '>', now - expiryMs)
    .execute();
  // Sorted here, not by the database, whose collation differs between SQLite and PostgreSQL.
  return rows.map((r) => r.id).sort();
}

/** Removes the worker's row at once (a clean shutdown), so the others take its share at their next heartbeat. */
export async function removeWorker(db: Db, id: string): Promise<void> {
  await db.db.deleteFrom('runtime_workers').where('id', '=', id).execute();
}

/** Deletes rows of workers dead since before `before` (crashed processes leave their row behind). */
export async function pruneWorkers(db: Db, before: number): Promise<number> {
  const result = await db.db.deleteFrom('runtime_workers').where('heartbeat_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
