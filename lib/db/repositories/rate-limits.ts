import { randomBytes } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../database';

/**
 * How one counter behaves: the first `freePoints` attempts pass at once; each attempt after them
 * must wait the next delay of `delaysMs` (the last one repeats). A counter is forgotten
 * `idleMs` after its last allowed attempt (or after its block ends).
 */
export interface RateLimitPolicy {
  freePoints: number;
  delaysMs: readonly number[];
  idleMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** The counter after this attempt (an attempt that was refused does not add to it). */
  points: number;
  /** How long until the next attempt may pass; 0 when one may pass now. */
  retryAfterMs: number;
}

/**
 * Counts one attempt against `key`, atomically, before the caller does the expensive work: one
 * upsert decides, so N parallel attempts see N distinct counts and at most the allowed number pass,
 * on SQLite and PostgreSQL alike. An attempt refused because the counter is blocked changes
 * nothing (it neither adds a point nor extends the block).
 */
export async function hitRateLimit(db: Db, key: string, policy: RateLimitPolicy, now: number = Date.now()): Promise<RateLimitResult> {
  const nonce = randomBytes(12).toString('base64url');
  const at = (ms: number) => sql`CAST(${ms} AS BIGINT)`;
  const nowMs = at(now);
  const expired = sql`rate_limits.expires_at <= ${nowMs}`;
  const blocked = sql`(rate_limits.expires_at > ${nowMs} AND rate_limits.blocked_until > ${nowMs})`;
  const newPoints = sql`(CASE WHEN ${expired} THEN 1 WHEN ${blocked} THEN rate_limits.points ELSE rate_limits.points + 1 END)`;
  const blockFor = (points: RawBuilder<unknown>, offset: number) => {
    // Delays are a lookup table in SQL (CASE) rather than arithmetic, so one statement is portable.
    const branches = policy.delaysMs.map((delay, i) => sql`WHEN ${points} = ${policy.freePoints + i + 1} THEN ${at(now + delay + offset)}`);
    const last = policy.delaysMs.at(-1) ?? 0;
    return sql`(CASE WHEN ${points} <= ${policy.freePoints} THEN ${at(now + offset)} ${sql.join(branches, sql` `)} ELSE ${at(now + last + offset)} END)`;
  };
  const firstBlock = policy.freePoints >= 1 ? now : now + (policy.delaysMs[0] ?? 0);
  const row = await sql<{ points: number | string; blocked_until: number | string; last_attempt: string }>`
    INSERT INTO rate_limits (key, points, blocked_until, last_attempt, expires_at)
    VALUES (${key}, 1, ${at(firstBlock)}, ${nonce}, ${at(firstBlock + policy.idleMs)})
    ON CONFLICT (key) DO UPDATE SET
      points = ${newPoints},
      blocked_until = CASE WHEN ${blocked} THEN rate_limits.blocked_until ELSE ${blockFor(newPoints, 0)} END,
      last_attempt = CASE WHEN ${blocked} THEN rate_limits.last_attempt ELSE ${nonce} END,
      expires_at = CASE WHEN ${blocked} THEN rate_limits.expires_at ELSE ${blockFor(newPoints, policy.idleMs)} END
    RETURNING points, blocked_until, last_attempt`.execute(db.db);
  const result = row.rows[0];
  if (!result) throw new Error('rate limit upsert returned no row');
  const allowed = result.last_attempt === nonce;
  const blockedUntil = Number(result.blocked_until);
  // An allowed attempt may itself start a block (the next attempt waits); a refused one is told how long.
  return { allowed, points: Number(result.points), retryAfterMs: Math.max(0, blockedUntil - now) };
}

/** The counter's points now (0 when it has none or it expired). */
export async function rateLimitPoints(db: Db, key: string, now: number = Date.now()): Promise<number> {
  const row = await db.db
    .selectFrom('rate_limits')
    .select('points')
    .where('key', '=', key)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? Number(row.points) : 0;
}

/** Gives one point back (a success need not count as a failure); never below zero. */
export async function refundRateLimit(db: Db, key: string): Promise<void> {
  await db.db
    .updateTable('rate_limits')
    .set((eb) => ({ points: eb('points', '-', 1) }))
    .where('key', '=', key)
    .where('points', '>', 0)
    .execute();
}

/** Forgets a counter (a correct password clears that client's failures for that email). */
export async function resetRateLimit(db: Db, key: string): Promise<void> {
  await db.db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

/** Deletes counters nobody needs any more; returns how many. */
export async function evictExpiredRateLimits(db: Db, now: number = Date.now()): Promise<number> {
  const result = await db.db.deleteFrom('rate_limits').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
