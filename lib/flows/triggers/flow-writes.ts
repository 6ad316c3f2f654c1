import type { Db } from '@/lib/db/database';

/**
 * "Ignore changes this flow itself wrote" (Dynamics event `ignoreOwnWrites`). The rule: a change of
 * record R is the flow's own when the flow recorded a successful write of R at `written_at` with
 * `modifiedon - OWN_WRITE_WINDOW_MS <= written_at <= modifiedon + 1 s`. Dataverse stamps modifiedon
 * with second precision and the runtime records the write just after the call returns, so the write
 * lands a little before or within the same second as the stamp; a later change by someone else has a
 * modifiedon past the window and starts the flow as usual.
 */
export const OWN_WRITE_WINDOW_MS = 30_000;
/** Rows older than this are pruned: no poll can still need them (a poll looks at recent changes). */
export const FLOW_WRITES_RETENTION_MS = 24 * 60 * 60_000;

export interface FlowWrite {
  ownerId: string;
  flowId: string;
  /** The table's logical name, e.g. `lead`. */
  table: string;
  recordId: string;
  /** Epoch ms of the write (after the Dynamics call succeeded). */
  at: number;
}

/** The runtime calls this after a Dynamics write step (create, update, upsert, delete) succeeds. */
export async function recordFlowWrite(db: Db, write: FlowWrite): Promise<void> {
  await db.db
    .insertInto('flow_writes')
    .values({
      flow_id: write.flowId,
      owner_id: write.ownerId,
      table_name: write.table,
      record_id: write.recordId.toLowerCase(),
      written_at: write.at,
    })
    .execute();
}

/** True when the change (record, modifiedon ISO) is one this flow wrote itself (the rule above). */
export async function isOwnWrite(db: Db, flowId: string, table: string, recordId: string, modifiedOn: string): Promise<boolean> {
  const stamp = Date.parse(modifiedOn);
  if (!Number.isFinite(stamp)) return false;
  const row = await db.db
    .selectFrom('flow_writes')
    .select('record_id')
    .where('flow_id', '=', flowId)
    .where('table_name', '=', table)
    .where('record_id', '=', recordId.toLowerCase())
    .where('written_at', '>=', stamp - OWN_WRITE_WINDOW_MS)
    .where('written_at', '<=', stamp + 1_000)
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes writes older than the retention; returns how many. */
export async function pruneFlowWrites(db: Db, now: number = Date.now()): Promise<number> {
  const result = await db.db
    .deleteFrom('flow_writes')
    .where('written_at', '<', now - FLOW_WRITES_RETENTION_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
