import type { Db } from '@/lib/db/database';

/**
 * Single-owner leases (table `runtime_leases`, migration 007): pollers, schedules and pruning run
 * in whichever process holds the lease, so several processes (scale-out) never poll twice and the
 * embedded mode simply always holds it. Acquisition is one statement — insert, or take over a row
 * whose lease expired or that we already hold — so it is atomic on SQLite and PostgreSQL alike.
 */
export async function acquireLease(db: Db, name: string, holder: string, ttlMs: number, now: number = Date.now()): Promise<boolean> {
  const result = await db.db
    .insertInto('runtime_leases')
    .values({ name, holder, expires_at: now + ttlMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: now + ttlMs })
        // Only a free (expired) lease or our own may be taken: a live holder keeps it.
        .where((eb) => eb.or([eb('runtime_leases.holder', '=', holder), eb('runtime_leases.expires_at', '<=', now)])),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Extends a lease we hold; false when it was lost (expired and taken by another holder). */
export async function renewLease(db: Db, name: string, holder: string, ttlMs: number, now: number = Date.now()): Promise<boolean> {
  const result = await db.db
    .updateTable('runtime_leases')
    .set({ expires_at: now + ttlMs })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives the lease up at once (a clean shutdown), so another process need not wait for its expiry. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.db.deleteFrom('runtime_leases').where('name', '=', name).where('holder', '=', holder).execute();
}
