import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryFromBytes } from '../../secrets/key-material';
import { setProcessKeyring } from '../../secrets/keyring';
import { DuplicateError, isUniqueViolation } from '../errors';
import { DATABASE_KINDS, createTestUser, openTestDb, type TestDb } from '../../../test/support/db';
import { createAccount, deleteAccount, findAccount, listAccounts, readAccountSecrets, updateAccount, type NewAccount } from './accounts';
import type { User } from './users';

const base: NewAccount = {
  application: 'dynamics',
  name: 'Contoso production',
  serviceUrl: 'https://contoso.crm4.dynamics.com',
  apiVersion: 'v9.2',
  identityEndpoint: 'https://login.microsoftonline.com/organizations',
  authMethod: 'password',
  config: { clientId: 'client-1', username: 'sales@contoso.com' },
};

describe.each(DATABASE_KINDS)('accounts repository on %s', (kind) => {
  let db: TestDb;
  let alice: User;
  let bob: User;
  beforeAll(async () => {
    setProcessKeyring({ current: entryFromBytes(randomBytes(32)), previous: [], source: 'env' });
    db = await openTestDb(kind);
    alice = await createTestUser(db, 'alice');
    bob = await createTestUser(db, 'bob');
  });
  afterAll(async () => {
    await db?.close();
    setProcessKeyring(undefined);
  });

  it('stores secrets encrypted and returns them only through readAccountSecrets', async () => {
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    const account = await createAccount(db, alice.id, { ...base, secrets: { clientSecret: canary, password: 'pw' } });
    expect(account).toMatchObject({ ownerId: alice.id, name: base.name, hasSecrets: true, status: 'unverified', config: base.config });
    expect(JSON.stringify(account)).not.toContain(canary);
    expect(JSON.stringify(await listAccounts(db, alice.id))).not.toContain(canary);
    const raw = await db.db.selectFrom('accounts').select('secrets_enc').where('id', '=', account.id).executeTakeFirstOrThrow();
    expect(raw.secrets_enc).toMatch(/^v1\./);
    expect(raw.secrets_enc).not.toContain(canary);
    expect(await readAccountSecrets(db, alice.id, account.id)).toEqual({ clientSecret: canary, password: 'pw' });
  });

  it('keeps account names unique per owner and application only', async () => {
    await createAccount(db, alice.id, { ...base, name: 'Sandbox' });
    await expect(createAccount(db, alice.id, { ...base, name: 'Sandbox' })).rejects.toBeInstanceOf(DuplicateError);
    await expect(createAccount(db, bob.id, { ...base, name: 'Sandbox' })).resolves.toMatchObject({ ownerId: bob.id });
    await expect(createAccount(db, alice.id, { ...base, application: 'other-app', name: 'Sandbox' })).resolves.toBeDefined();
  });

  it('compares account names without regard to case, on create and on rename, letters beyond ASCII included', async () => {
    await createAccount(db, alice.id, { ...base, name: 'Northwind Sales' });
    await expect(createAccount(db, alice.id, { ...base, name: 'NORTHWIND sales' })).rejects.toBeInstanceOf(DuplicateError);
    await createAccount(db, alice.id, { ...base, name: 'Équipe Über' });
    await expect(createAccount(db, alice.id, { ...base, name: 'éQUIPE üBER' })).rejects.toBeInstanceOf(DuplicateError);
    await expect(createAccount(db, bob.id, { ...base, name: 'northwind sales' })).resolves.toMatchObject({ ownerId: bob.id });
    await expect(createAccount(db, alice.id, { ...base, application: 'other-app', name: 'northwind SALES' })).resolves.toBeDefined();

    const other = await createAccount(db, alice.id, { ...base, name: 'Fabrikam' });
    await expect(updateAccount(db, alice.id, other.id, { name: 'northwind sales' })).rejects.toBeInstanceOf(DuplicateError);
    await expect(updateAccount(db, alice.id, other.id, { name: 'ÉQUIPE ÜBER' })).rejects.toBeInstanceOf(DuplicateError);
    // An account may change the case of its own name.
    await expect(updateAccount(db, alice.id, other.id, { name: 'FABRIKAM' })).resolves.toMatchObject({ name: 'FABRIKAM' });
    expect(await updateAccount(db, alice.id, 'no-such-account', { name: 'Anything' })).toBeUndefined();
  });

  it('the database itself refuses a name that differs only by case (the unique index of migration 006)', async () => {
    const first = await createAccount(db, alice.id, { ...base, name: 'Index check' });
    const now = new Date().toISOString();
    const row = {
      id: `raw-${randomBytes(4).toString('hex')}`,
      owner_id: alice.id,
      application: 'dynamics',
      name: 'INDEX CHECK',
      service_url: first.serviceUrl,
      api_version: 'v9.2',
      identity_endpoint: first.identityEndpoint,
      auth_method: 'password' as const,
      config_json: '{}',
      status: 'unverified' as const,
      created_at: now,
      updated_at: now,
    };
    await expect(db.db.insertInto('accounts').values(row).execute()).rejects.toSatisfy(isUniqueViolation);
  });

  it('updates fields, replaces or removes secrets, and refuses a taken name', async () => {
    const a = await createAccount(db, alice.id, { ...base, name: 'To update' });
    const updated = await updateAccount(db, alice.id, a.id, {
      name: 'Renamed',
      status: 'connected',
      principal: 'sales@contoso.com',
      secrets: { password: 'new' },
    });
    expect(updated).toMatchObject({ name: 'Renamed', status: 'connected', principal: 'sales@contoso.com', hasSecrets: true });
    expect(await readAccountSecrets(db, alice.id, a.id)).toEqual({ password: 'new' });
    expect(await updateAccount(db, alice.id, a.id, { secrets: null })).toMatchObject({ hasSecrets: false });
    expect(await readAccountSecrets(db, alice.id, a.id)).toEqual({});
    await expect(updateAccount(db, alice.id, a.id, { name: 'Sandbox' })).rejects.toBeInstanceOf(DuplicateError);
  });

  it('lists by name, filters by application and deletes', async () => {
    const names = (await listAccounts(db, alice.id, { application: 'dynamics' })).map((a) => a.name);
    expect(names).toEqual([...names].sort());
    expect(names).not.toContain('Sandbox (other-app)');
    const a = await createAccount(db, alice.id, { ...base, name: 'Temporary' });
    expect(await deleteAccount(db, alice.id, a.id)).toBe(true);
    expect(await findAccount(db, alice.id, a.id)).toBeUndefined();
    expect(await deleteAccount(db, alice.id, a.id)).toBe(false);
  });
});
