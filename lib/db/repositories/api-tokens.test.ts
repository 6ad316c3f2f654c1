import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, createTestUser, openTestDb, type TestDb } from '../../../test/support/db';
import { createApiToken, deleteApiToken, findActiveTokenByHash, listApiTokens, revokeApiToken } from './api-tokens';
import type { User } from './users';

function newToken() {
  const raw = `dfd_${randomBytes(24).toString('base64url')}`;
  return { raw, tokenHash: createHash('sha256').update(raw).digest('hex'), prefix: raw.slice(0, 8) };
}

describe.each(DATABASE_KINDS)('api tokens repository on %s', (kind) => {
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

  it('creates a token, lists it without its hash and authenticates by hash', async () => {
    const t = newToken();
    const row = await createApiToken(db, alice.id, { name: 'CI', tokenHash: t.tokenHash, prefix: t.prefix });
    expect(row).toMatchObject({ ownerId: alice.id, name: 'CI', prefix: t.prefix, revokedAt: null, expiresAt: null });
    const listed = await listApiTokens(db, alice.id);
    expect(listed.map((r) => r.id)).toContain(row.id);
    expect(JSON.stringify(listed)).not.toContain(t.tokenHash);
    expect(await findActiveTokenByHash(db, t.tokenHash)).toEqual({ id: row.id, ownerId: alice.id, expiresAt: null });
    const afterUse = (await listApiTokens(db, alice.id)).find((r) => r.id === row.id);
    expect(afterUse?.lastUsedAt).not.toBeNull();
  });

  it('does not authenticate revoked, expired or unknown tokens', async () => {
    const revoked = newToken();
    const r = await createApiToken(db, alice.id, { name: 'old', tokenHash: revoked.tokenHash, prefix: revoked.prefix });
    expect(await revokeApiToken(db, alice.id, r.id)).toBe(true);
    expect(await revokeApiToken(db, alice.id, r.id)).toBe(false);
    expect(await findActiveTokenByHash(db, revoked.tokenHash)).toBeUndefined();

    const expired = newToken();
    await createApiToken(db, alice.id, {
      name: 'expired',
      tokenHash: expired.tokenHash,
      prefix: expired.prefix,
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect(await findActiveTokenByHash(db, expired.tokenHash)).toBeUndefined();

    const future = newToken();
    await createApiToken(db, alice.id, {
      name: 'future',
      tokenHash: future.tokenHash,
      prefix: future.prefix,
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(await findActiveTokenByHash(db, future.tokenHash)).toBeDefined();
    expect(await findActiveTokenByHash(db, newToken().tokenHash)).toBeUndefined();
  });

  it('revoking a token revokes the tokens minted with it, and theirs, and no others', async () => {
    const parent = newToken();
    const child = newToken();
    const grandchild = newToken();
    const sibling = newToken();
    const p = await createApiToken(db, alice.id, { name: 'parent', tokenHash: parent.tokenHash, prefix: parent.prefix });
    const c = await createApiToken(db, alice.id, { name: 'child', tokenHash: child.tokenHash, prefix: child.prefix, parentTokenId: p.id });
    await createApiToken(db, alice.id, {
      name: 'grandchild',
      tokenHash: grandchild.tokenHash,
      prefix: grandchild.prefix,
      parentTokenId: c.id,
    });
    await createApiToken(db, alice.id, { name: 'sibling', tokenHash: sibling.tokenHash, prefix: sibling.prefix });
    expect(c.parentTokenId).toBe(p.id);
    expect(await revokeApiToken(db, alice.id, p.id)).toBe(true);
    for (const t of [parent, child, grandchild]) expect(await findActiveTokenByHash(db, t.tokenHash)).toBeUndefined();
    expect(await findActiveTokenByHash(db, sibling.tokenHash)).toBeDefined();
  });

  it('deleting a token deletes the tokens minted with it', async () => {
    const parent = newToken();
    const child = newToken();
    const p = await createApiToken(db, alice.id, { name: 'parent', tokenHash: parent.tokenHash, prefix: parent.prefix });
    await createApiToken(db, alice.id, { name: 'child', tokenHash: child.tokenHash, prefix: child.prefix, parentTokenId: p.id });
    expect(await deleteApiToken(db, alice.id, p.id)).toBe(true);
    expect(await findActiveTokenByHash(db, child.tokenHash)).toBeUndefined();
  });

  it('scopes list, revoke and delete to the owner', async () => {
    const t = newToken();
    const row = await createApiToken(db, alice.id, { name: 'mine', tokenHash: t.tokenHash, prefix: t.prefix });
    expect((await listApiTokens(db, bob.id)).map((r) => r.id)).not.toContain(row.id);
    expect(await revokeApiToken(db, bob.id, row.id)).toBe(false);
    expect(await deleteApiToken(db, bob.id, row.id)).toBe(false);
    expect(await findActiveTokenByHash(db, t.tokenHash)).toEqual({ id: row.id, ownerId: alice.id, expiresAt: null });
    expect(await deleteApiToken(db, alice.id, row.id)).toBe(true);
    expect(await findActiveTokenByHash(db, t.tokenHash)).toBeUndefined();
  });
});
