import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateError } from '../errors';
import { DATABASE_KINDS, openTestDb, type TestDb } from '../../../test/support/db';
import { countUsers, createUser, findUserByEmail, findUserById, updateUser } from './users';

describe.each(DATABASE_KINDS)('users repository on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('creates a user, stores the email lowercased and finds it in any case', async () => {
    expect(await countUsers(db)).toBe(0);
    const user = await createUser(db, { email: '  Ada@Example.COM ', name: 'Ada', passwordHash: 'h1' });
    expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada', passwordHash: 'h1' });
    expect(user.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(Number.isNaN(Date.parse(user.createdAt))).toBe(false);
    expect(await findUserByEmail(db, 'ADA@example.com')).toEqual(user);
    expect(await findUserById(db, user.id)).toEqual(user);
    expect(await countUsers(db)).toBe(1);
  });

  it('rejects a second user with the same email in another case with DuplicateError', async () => {
    await createUser(db, { email: 'grace@example.com', name: 'Grace', passwordHash: 'h' });
    const err = await createUser(db, { email: 'GRACE@example.com', name: 'Other', passwordHash: 'h' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateError);
    expect((err as DuplicateError).constraint).toBe('users.email');
  });

  it('returns undefined for unknown users', async () => {
    expect(await findUserById(db, 'nope')).toBeUndefined();
    expect(await findUserByEmail(db, 'nobody@example.com')).toBeUndefined();
  });

  it('updates name and password hash, and allows users without a password', async () => {
    const user = await createUser(db, { email: 'sso@example.com', name: 'SSO', passwordHash: null });
    expect(user.passwordHash).toBeNull();
    expect(await updateUser(db, user.id, { name: 'Single Sign', passwordHash: 'h2' })).toBe(true);
    expect(await findUserById(db, user.id)).toMatchObject({ name: 'Single Sign', passwordHash: 'h2' });
    expect(await updateUser(db, 'missing', { name: 'x' })).toBe(false);
  });
});
