import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, createTestUser, openTestDb, type TestDb } from '../../../test/support/db';
import { createSession, evictEndedSessions, findActiveSession, revokeAllSessions, revokeSession } from './sessions';
import type { User } from './users';

const inAWeek = () => new Date(Date.now() + 7 * 86_400_000);

describe.each(DATABASE_KINDS)('sessions repository on %s', (kind) => {
  let db: TestDb;
  let alice: User;
  let bob: User;
  beforeAll(async () => {
    db = await openTestDb(kind);
    alice = await createTestUser(db, 'alice');
    bob = await createTestUser(db, 'bob');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('a session is active until it is revoked, and only for its own user', async () => {
    const s = await createSession(db, alice.id, inAWeek());
    expect(await findActiveSession(db, s.id, alice.id)).toMatchObject({ id: s.id, userId: alice.id });
    expect(await findActiveSession(db, s.id, bob.id)).toBeUndefined();
    expect(await revokeSession(db, s.id)).toBe(true);
    expect(await revokeSession(db, s.id)).toBe(false);
    expect(await findActiveSession(db, s.id, alice.id)).toBeUndefined();
  });

  it('an expired session is not active', async () => {
    const s = await createSession(db, alice.id, new Date(Date.now() - 1000));
    expect(await findActiveSession(db, s.id, alice.id)).toBeUndefined();
  });

  it('"sign out everywhere" revokes every session of the user and no one else', async () => {
    const a1 = await createSession(db, alice.id, inAWeek());
    const a2 = await createSession(db, alice.id, inAWeek());
    const b = await createSession(db, bob.id, inAWeek());
    expect(await revokeAllSessions(db, alice.id)).toBeGreaterThanOrEqual(2);
    expect(await findActiveSession(db, a1.id, alice.id)).toBeUndefined();
    expect(await findActiveSession(db, a2.id, alice.id)).toBeUndefined();
    expect(await findActiveSession(db, b.id, bob.id)).toBeDefined();
  });

  it('evicts sessions that ended more than a day ago', async () => {
    const old = await createSession(db, bob.id, new Date(Date.now() - 3 * 86_400_000));
    const live = await createSession(db, bob.id, inAWeek());
    expect(await evictEndedSessions(db)).toBeGreaterThanOrEqual(1);
    const rows = await db.db.selectFrom('sessions').select('id').where('id', 'in', [old.id, live.id]).execute();
    expect(rows.map((r) => r.id)).toEqual([live.id]);
  });
});
