import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '../../../test/support/db';
import { consumePendingSignIn, recordPendingSignIn } from './pending-sign-ins';

describe.each(DATABASE_KINDS)('pending sign-ins on %s', (kind) => {
  let db: TestDb;
  let a: string;
  let b: string;
  beforeAll(async () => {
    db = await openTestDb(kind);
    a = (await createTestUser(db, 'a')).id;
    b = (await createTestUser(db, 'b')).id;
  });
  afterAll(() => db.close());

  const inMinutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

  it('can be consumed once, by its owner only', async () => {
    await recordPendingSignIn(db, a, 'hash-1', inMinutes(10));
    expect(await consumePendingSignIn(db, b, 'hash-1')).toBe(false);
    expect(await consumePendingSignIn(db, a, 'hash-1')).toBe(true);
    expect(await consumePendingSignIn(db, a, 'hash-1')).toBe(false);
    expect(await consumePendingSignIn(db, a, 'never-recorded')).toBe(false);
  });

  it('cannot be consumed after it expired, and expired rows are cleared', async () => {
    await recordPendingSignIn(db, a, 'hash-old', inMinutes(-1));
    expect(await consumePendingSignIn(db, a, 'hash-old')).toBe(false);
    await recordPendingSignIn(db, a, 'hash-new', inMinutes(10));
    const left = await db.db.selectFrom('pending_sign_ins').select('state_hash').execute();
    expect(left.map((r) => r.state_hash)).toEqual(['hash-new']);
  });
});
