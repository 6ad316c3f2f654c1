import type { Db } from '@/lib/db/database';
import { withTransaction } from '@/lib/db/transaction';
import { pruneFlowWrites } from '../triggers/flow-writes';

export const DEFAULT_RUN_HISTORY_DAYS = 30;
const BATCH = 500;

/**
 * Deletes the runs that ended more than `retentionMs` ago (their steps go with them: the foreign
 * key cascades), in batches so a large backlog never holds a long write lock, and the flow-write
 * records no poll can need any more. Runs that have not ended are never touched, however old.
 * Returns how many runs were deleted.
 */
export async function pruneRunHistory(db: Db, opts: { now: number; retentionMs: number; maxBatches?: number }): Promise<number> {
  const cutoff = new Date(opts.now - opts.retentionMs).toISOString();
  let deleted = 0;
  for (let i = 0; i < (opts.maxBatches ?? 100); i++) {
    const old = await db.db
      .selectFrom('runs')
      .select('id')
      .where('status', 'in', ['succeeded', 'failed', 'cancelled'])
      .where('finished_at', '<', cutoff)
      .limit(BATCH)
      .execute();
    if (old.length === 0) break;
    const ids = old.map((r) => r.id);
    await withTransaction(db, async (tx) => {
      // run_steps first: explicit, so it does not depend on the connection's foreign-key setting.
      await tx.db.deleteFrom('run_steps').where('run_id', 'in', ids).execute();
      await tx.db.deleteFrom('runs').where('id', 'in', ids).execute();
    });
    deleted += ids.length;
    if (ids.length < BATCH) break;
  }
  await pruneFlowWrites(db, opts.now);
  return deleted;
}
