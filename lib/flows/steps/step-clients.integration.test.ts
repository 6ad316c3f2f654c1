/**
 * The steps' cached Dataverse clients follow the account: updating its credentials or removing it
 * (account-service.ts, the same calls the accounts API makes) drops them at once, through
 * `onAccountForgotten`, so a step never keeps using old credentials for the cache's 30 s. Real
 * account rows (SQLite and PostgreSQL), the sandbox over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAccount, removeAccount, updateCredentials, type AccountContext } from '@/lib/dynamics/accounts/account-service';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { appSandboxForTests } from '@/test/support/app-sandbox';
import { DEFAULT_STEP_RETRY } from './retry-policy';
import { cachedStepClients, stepClient } from './step-clients';

const app = appSandboxForTests(4);

describe.each(DATABASE_KINDS)('step clients on %s', (kind) => {
  let db: TestDb;
  let ctx: AccountContext;
  const creds = () => ({
    method: 'password' as const,
    serviceUrl: app.sandbox.service,
    clientId: 'sandbox-client',
    clientSecret: 'sandbox-secret',
    username: 'sales@sandbox.local',
    password: 'sandbox',
  });

  beforeAll(async () => {
    db = await openTestDb(kind);
    const user = await createTestUser(db, `clients-${kind}`);
    ctx = { db, ownerId: user.id, appOrigin: new URL(app.sandbox.service).origin };
  });
  afterAll(() => db.close());

  it('updating an account drops its cached clients (and only its); removing it too', async () => {
    const account = await connectAccount(ctx, { ...creds(), name: 'Cached A' });
    const other = await connectAccount(ctx, { ...creds(), name: 'Cached B' });
    const first = await stepClient(db, ctx.ownerId, account.id, DEFAULT_STEP_RETRY);
    await stepClient(db, ctx.ownerId, other.id, DEFAULT_STEP_RETRY);
    const cached = cachedStepClients();
    expect(await stepClient(db, ctx.ownerId, account.id, DEFAULT_STEP_RETRY)).toBe(first); // reused while nothing changed

    await updateCredentials(ctx, account.id, creds());
    expect(cachedStepClients()).toBe(cached - 1);
    const second = await stepClient(db, ctx.ownerId, account.id, DEFAULT_STEP_RETRY);
    expect(second).not.toBe(first); // built again from the updated row
    expect((await second.whoAmI()).UserId).toEqual(expect.any(String));

    await removeAccount(ctx, account.id);
    expect(cachedStepClients()).toBe(cached - 1);
    await expect(stepClient(db, ctx.ownerId, account.id, DEFAULT_STEP_RETRY)).rejects.toThrow();
  });
});
