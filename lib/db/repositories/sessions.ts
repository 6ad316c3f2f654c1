import type { Db } from '../database';
import { newId } from '../ids';
import { nowIso, toIsoTimestamp } from '../time';

export interface SessionRow {
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

/** Records a new signed-in session for the user; the session cookie carries its id. */
export async function createSession(db: Db, userId: string, expiresAt: string | Date): Promise<SessionRow> {
  const row = { id: newId(), user_id: userId, created_at: nowIso(), expires_at: toIsoTimestamp(expiresAt), revoked_at: null };
  await db.db.insertInto('sessions').values(row).execute();
  return { id: row.id, userId, createdAt: row.created_at, expiresAt: row.expires_at };
}

/** The session when it belongs to the user and is neither revoked nor expired. */
export async function findActiveSession(db: Db, id: string, userId: string): Promise<SessionRow | undefined> {
  const row = await db.db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'created_at', 'expires_at'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIso())
    .executeTakeFirst();
  return row && { id: row.id, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at };
}

/** Revokes one session (sign-out); false when it was already revoked or unknown. */
export async function revokeSession(db: Db, id: string): Promise<boolean> {
  const result = await db.db
    .updateTable('sessions')
    .set({ revoked_at: nowIso() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Revokes every session of the user ("sign out everywhere"); returns how many were active. */
export async function revokeAllSessions(db: Db, userId: string): Promise<number> {
  const result = await db.db
    .updateTable('sessions')
    .set({ revoked_at: nowIso() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes sessions that ended (expired, or revoked) more than a day ago; returns how many. */
export async function evictEndedSessions(db: Db, now: number = Date.now()): Promise<number> {
  const before = new Date(now - 86_400_000).toISOString();
  const result = await db.db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
