import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '../../../test/support/db';
import { migrateToLatest } from '../migrate';
import * as m004 from './004-sign-in-security';

describe.each(DATABASE_KINDS)('migration 004 on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives a token that never expired the longest lifetime, and goes down and up again', async () => {
    const user = await createTestUser(db, 'legacy');
    const raw = db.db as unknown as Kysely<unknown>;
    await m004.down(raw);
    const now = new Date().toISOString();
    await (raw as Kysely<Record<string, Record<string, unknown>>>)
      .insertInto('api_tokens')
      .values({ id: 'forever', owner_id: user.id, name: 'old', token_hash: 'h-forever', prefix: 'dfd_x', created_at: now })
      .execute();
    await m004.up(raw);
    const row = await db.db
      .selectFrom('api_tokens')
      .select(['expires_at', 'parent_token_id'])
      .where('id', '=', 'forever')
      .executeTakeFirstOrThrow();
    expect(row.parent_token_id).toBeNull();
    expect(Math.abs(Date.parse(row.expires_at!) - (Date.now() + 365 * 86_400_000))).toBeLessThan(60_000);
    expect(await db.db.selectFrom('rate_limits').selectAll().execute()).toEqual([]);
    expect(await db.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
    expect((await migrateToLatest(db)).applied).toEqual([]);
  });
});
