import type { Db } from '../database';
import { nowIso } from '../time';

/** Records that the owner started a sign-in with this state (hash); it can be consumed once. */
export async function recordPendingSignIn(db: Db, ownerId: string, stateHash: string, expiresAt: string): Promise<void> {
  // Expired rows are cleared on the way, so the table holds only sign-ins in progress.
  await db.db.deleteFrom('pending_sign_ins').where('expires_at', '<', nowIso()).execute();
  await db.db.insertInto('pending_sign_ins').values({ state_hash: stateHash, owner_id: ownerId, expires_at: expiresAt }).execute();
}

/** Consumes the owner's pending sign-in; false when it is unknown, another owner's, expired or already used. */
export async function consumePendingSignIn(db: Db, ownerId: string, stateHash: string): Promise<boolean> {
  const result = await db.db
    .deleteFrom('pending_sign_ins')
    .where('state_hash', '=', stateHash)
    .where('owner_id', '=', ownerId)
    .where('expires_at', '>', nowIso())
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
