/**
 * The Catalog's server side against a real database (SQLite and PostgreSQL) and the sandbox over
 * HTTP: connect, flows that use an account, removal rules, token rotation persisted through the
 * DB port, and a revoked grant marking the account "needs reconnecting".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlow, updateFlow } from '@/lib/db/repositories/flows';
import { findAccount, readAccountSecrets } from '@/lib/db/repositories/accounts';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { forgetTokenProvider } from '@/lib/dynamics/client/tokens/token-provider';
import { startSandbox, type TestSandbox } from '@/test/support/sandbox';
import { DomainError } from '@/lib/errors/domain-error';
import { getClientForAccount } from './account-client';
import { connectAccount, getAccountView, removeAccount, type AccountContext } from './account-service';
import { flowsUsingAccounts } from '../../db/repositories/flows-using-accounts';

let sandbox: TestSandbox;
const savedEnv = { ...process.env };

beforeAll(async () => {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') } }));
  sandbox = await startSandbox();
  // The sandbox listens on a loopback port: allow it the way DYNAMICS_ALLOWED_HOSTS would.
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
  process.env.NEXTAUTH_URL = new URL(sandbox.service).origin;
});
afterAll(async () => {
  process.env = savedEnv;
  setProcessKeyring(undefined);
  await sandbox.close();
});

async function connect(ctx: AccountContext, name?: string) {
  return connectAccount(ctx, {
    method: 'password',
    serviceUrl: sandbox.service,
    clientId: 'sandbox-client',
    clientSecret: 'sandbox-secret',
    username: 'sales@sandbox.local',
    password: 'sandbox',
    ...(name ? { name } : {}),
  });
}

describe.each(DATABASE_KINDS)('accounts on %s', (kind) => {
  let db: TestDb;
  let ctx: AccountContext;

  beforeAll(async () => {
    db = await openTestDb(kind);
    const user = await createTestUser(db, 'owner');
    ctx = { db, ownerId: user.id, appOrigin: new URL(sandbox.service).origin };
  });
  afterAll(() => db.close());

  it('names new accounts "Account N", stores secrets encrypted and shows only placeholders', async () => {
    const first = await connect(ctx);
    const second = await connect(ctx);
    expect([first.name, second.name]).toEqual(['Account 1', 'Account 2']);
    const raw = await db.db.selectFrom('accounts').select('secrets_enc').where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(raw.secrets_enc).not.toContain('sandbox-secret');
    const view = await getAccountView(ctx, first.id);
    expect(JSON.stringify(view)).not.toContain('sandbox-secret');
    expect(view.secrets.clientSecret).toBe('•••• set');
    expect(view.principal).toBe('sales@sandbox.local');
  });

  it('refuses to remove an account that a running flow uses, and names the flows', async () => {
    const account = await connect(ctx, 'In use');
    const { flow } = await createFlow(db, ctx.ownerId, {
      name: 'Sync new leads',
      status: 'active',
      document: { schemaVersion: 1, nodes: [{ id: 'n1', type: 'dynamics.lead.new', params: { accountId: account.id } }], edges: [] },
    });
    await createFlow(db, ctx.ownerId, { name: 'Unrelated', document: { nodes: [{ params: { accountId: 'someone-else' } }] } });
    const used = await flowsUsingAccounts(db, ctx.ownerId, [account.id]);
    expect(used.get(account.id)).toEqual([{ id: flow.id, name: 'Sync new leads', status: 'active' }]);

    const refused = await removeAccount(ctx, account.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ kind: 'conflict', code: 'account_in_use' });
    expect((refused as DomainError).message).toContain('Sync new leads');
    expect(await findAccount(db, ctx.ownerId, account.id)).toBeDefined();

    await updateFlow(db, ctx.ownerId, flow.id, { status: 'stopped' });
    await removeAccount(ctx, account.id);
    expect(await findAccount(db, ctx.ownerId, account.id)).toBeUndefined();
  });

  it('saves a rotated refresh token at once, encrypted, when the client refreshes', async () => {
    await sandbox.hook('config', { method: 'PUT', body: JSON.stringify({ tokenLifetimeSeconds: 1 }) });
    try {
      const account = await connect(ctx, 'Rotating');
      const before = await readAccountSecrets(db, ctx.ownerId, account.id);
      await new Promise((r) => setTimeout(r, 1500));
      const client = await getClientForAccount(db, ctx.ownerId, account.id, { tokenSkewMs: 0 });
      await client.whoAmI();
      const after = await readAccountSecrets(db, ctx.ownerId, account.id);
      expect(after?.refreshToken).toBeTruthy();
      expect(after?.refreshToken).not.toBe(before?.refreshToken);
      expect(after?.accessToken).not.toBe(before?.accessToken);
      forgetTokenProvider(account.id);
    } finally {
      await sandbox.hook('config', { method: 'PUT', body: JSON.stringify({ tokenLifetimeSeconds: 3600 }) });
    }
  });

  it('marks the account "needs reconnecting" with Microsoft\'s reason when its grant is revoked, without looping', async () => {
    const account = await connect(ctx, 'Revoked');
    await sandbox.hook('revoke', { method: 'POST', body: JSON.stringify({}) });
    // Expire the stored access token so the next call must use the (revoked) refresh token.
    const secrets = (await readAccountSecrets(db, ctx.ownerId, account.id)) ?? {};
    await db.db
      .updateTable('accounts')
      .set({
        secrets_enc: (await import('@/lib/secrets/crypto')).encryptSecret(
          JSON.stringify({
            ...secrets,
            accessToken: 'expired',
            accessTokenExpiresAt: new Date(0).toISOString(),
            password: 'changed-elsewhere',
          }),
        ),
      })
      .where('id', '=', account.id)
      .execute();
    forgetTokenProvider(account.id);
    await sandbox.hook('requests', { method: 'DELETE' });
    const client = await getClientForAccount(db, ctx.ownerId, account.id);
    await expect(client.whoAmI()).rejects.toThrow();
    const marked = await findAccount(db, ctx.ownerId, account.id);
    expect(marked?.status).toBe('needs_reconnect');
    expect(marked?.statusReason).toMatch(/password|sign-in|reconnect/i);
    const log = (await (await sandbox.hook('requests')).json()) as { value: { path: string }[] };
    expect(log.value.filter((r) => r.path.includes('/oauth2/')).length).toBeLessThanOrEqual(2);
    // Further use is refused up front until the credentials are updated.
    const refusedUse = await getClientForAccount(db, ctx.ownerId, account.id).catch((e: unknown) => e);
    expect(refusedUse).toMatchObject({ kind: 'conflict', code: 'needs_reconnect' });
    forgetTokenProvider(account.id);
  });
});
