import type { Db } from '@/lib/db/database';

/**
 * The installation-wide `Retry-After` gates (table `account_gates`, migration 007): one row per
 * limit key (an account's environment and principal) holding the epoch ms before which no process
 * sends for it. Closing is one statement — insert, or move a row's time later, never earlier — so
 * concurrent closures from several processes keep the latest on SQLite and PostgreSQL alike.
 */
export async function closeAccountGate(db: Db, key: string, until: number, now: number = Date.now()): Promise<void> {
  await db.db
    .insertInto('account_gates')
    .values({ account_id: key, closed_until: until, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('account_id')
        .doUpdateSet({ closed_until: until, updated_at: now })
        // The later time wins: a shorter Retry-After seen after a longer one must not shorten it.
        .where('account_gates.closed_until', '<', until),
    )
    .execute();
}

/** The epoch ms at which the key's gate opens (0 when it never closed). */
export async function accountGateOpensAt(db: Db, key: string): Promise<number> {
  const row = await db.db.selectFrom('account_gates').select('closed_until').where('account_id', '=', key).executeTakeFirst();
  // PostgreSQL returns bigint columns as strings.
  return row ? Number(row.closed_until) : 0;
}

/** Deletes gates that opened before `before` (they no longer hold anyone back). */
export async function pruneAccountGates(db: Db, before: number): Promise<number> {
  const result = await db.db.deleteFrom('account_gates').where('closed_until', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
