/**
 * Connecting either of the built-in sandbox's organizations with `useSandbox` (and the second also
 * by its address alone), through the real account service, a real database (SQLite and PostgreSQL)
 * and the sandbox over HTTP: the server fills in the chosen organization's own values and the
 * user's tenant, and an account of the second reads the second's lead schema through the metadata
 * layer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccountSecrets } from '@/lib/db/repositories/accounts';
import { MetadataCache } from '@/lib/dynamics/metadata';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { CREDS, ORG2_CREDS, secondOrganization, startSandbox, type TestSandbox } from '@/test/support/sandbox';
import { getClientForAccount } from './account-client';
import { connectAccount, generateSealedTokens, type AccountContext } from './account-service';
import { startMicrosoftSignIn } from './microsoft-sign-in';
import { sandboxTenantFor } from './sandbox-tenant';

let first: TestSandbox;
let second: TestSandbox;
const savedEnv = { ...process.env };

beforeAll(async () => {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64') } }));
  process.env.SANDBOX_TENANT_SECRET = 'sandbox-organizations-test-secret';
  first = await startSandbox();
  second = secondOrganization(first);
  // The app's own origin is the sandbox's here: the accounts allow exactly its /sandbox, as in the app.
  process.env.NEXTAUTH_URL = new URL(first.service).origin;
  delete process.env.DYNAMICS_ALLOWED_HOSTS;
});
afterAll(async () => {
  process.env = savedEnv;
  setProcessKeyring(undefined);
  await first.close();
});

describe.each(DATABASE_KINDS)('the sandbox organizations on %s', (kind) => {
  let db: TestDb;
  let ctx: AccountContext;
  let origin: string;
  let tenant: string;

  beforeAll(async () => {
    db = await openTestDb(kind);
    const user = await createTestUser(db, 'sandbox-orgs');
    origin = new URL(first.service).origin;
    ctx = { db, ownerId: user.id, appOrigin: origin };
    tenant = sandboxTenantFor(user.id);
  });
  afterAll(() => db.close());

  it("connects each organization with its own values and the user's tenant; left out means the first", async () => {
    const main = await connectAccount(ctx, { method: 'password', useSandbox: true });
    const named = await connectAccount(ctx, { method: 'password', useSandbox: true, sandboxOrganization: 'first' });
    const fabrikam = await connectAccount(ctx, { method: 'password', useSandbox: true, sandboxOrganization: 'second' });

    for (const account of [main, named]) {
      expect(account).toMatchObject({
        serviceUrl: `${origin}/sandbox`,
        identityEndpoint: `${origin}/sandbox/login/${tenant}`,
        settings: { clientId: 'sandbox-client', username: 'sales@sandbox.local' },
        principal: 'sales@sandbox.local',
        isSandbox: true,
      });
    }
    expect(fabrikam).toMatchObject({
      serviceUrl: second.service,
      identityEndpoint: `${second.service}/login/${tenant}`,
      settings: { clientId: ORG2_CREDS.client_id, username: ORG2_CREDS.username },
      principal: ORG2_CREDS.username,
      isSandbox: true,
    });
    // Default names tell the organizations apart.
    expect([main.name, named.name, fabrikam.name]).toEqual(['Account 1', 'Account 2', 'Fabrikam sandbox 1']);
    // The second's secrets were filled in by the server and are stored, never shown.
    expect(JSON.stringify(fabrikam)).not.toContain(ORG2_CREDS.client_secret);
    expect((await readAccountSecrets(db, ctx.ownerId, fabrikam.id))?.clientSecret).toBe(ORG2_CREDS.client_secret);

    // Each account is its own organization's user.
    const who = async (id: string) => (await (await getClientForAccount(db, ctx.ownerId, id)).whoAmI()).OrganizationId;
    expect(await who(fabrikam.id)).toBe('c0ffee00-5a9d-4b0c-8e1f-2d3c4b5a0002');
    expect(await who(main.id)).not.toBe(await who(fabrikam.id));
  });

  it("reads the second organization's lead schema (Lead Score, its own Lead Source choices) through the metadata layer", async () => {
    const fabrikam = await connectAccount(ctx, { method: 'password', useSandbox: true, sandboxOrganization: 'second', name: 'Fabrikam' });
    const contoso = await connectAccount(ctx, { method: 'password', useSandbox: true, name: 'Contoso' });
    const cache = new MetadataCache();
    const [leadTwo, leadOne] = await Promise.all([
      cache.table(await getClientForAccount(db, ctx.ownerId, fabrikam.id), 'lead'),
      cache.table(await getClientForAccount(db, ctx.ownerId, contoso.id), 'lead'),
    ]);
    expect(leadTwo.columns.find((c) => c.logicalName === 'new_leadscore')).toMatchObject({ type: 'integer', displayName: 'Lead Score' });
    expect(leadOne.columns.map((c) => c.logicalName)).not.toContain('new_leadscore');
    const source = (s: typeof leadOne) => s.columns.find((c) => c.logicalName === 'leadsourcecode')?.choices?.map((o) => o.label);
    expect(source(leadTwo)).toContain('Webinar');
    expect(source(leadOne)).not.toContain('Webinar');
    const tables = await cache.tables(await getClientForAccount(db, ctx.ownerId, fabrikam.id));
    expect(tables.tables.map((t) => t.logicalName)).toContain('new_milestone');
  });

  it('connects the second organization by its address alone: its own authority, not Microsoft’s nor the first’s', async () => {
    const account = await connectAccount(ctx, {
      method: 'password',
      serviceUrl: `${second.service}/`,
      clientId: ORG2_CREDS.client_id,
      clientSecret: ORG2_CREDS.client_secret,
      username: ORG2_CREDS.username,
      password: ORG2_CREDS.password,
    });
    expect(account).toMatchObject({ serviceUrl: second.service, identityEndpoint: `${second.service}/login/${tenant}`, isSandbox: true });
    expect(account.name).toMatch(/^Fabrikam sandbox \d+$/);

    // "Generate tokens" with the address alone signs in there too.
    const sealed = await generateSealedTokens(ctx, {
      serviceUrl: second.service,
      clientId: ORG2_CREDS.client_id,
      clientSecret: ORG2_CREDS.client_secret,
      username: ORG2_CREDS.username,
      password: ORG2_CREDS.password,
    });
    const basic = await connectAccount(ctx, {
      method: 'basic_oauth',
      serviceUrl: second.service,
      clientId: ORG2_CREDS.client_id,
      clientSecret: ORG2_CREDS.client_secret,
      generatedTokens: sealed.grant,
    });
    expect(basic).toMatchObject({ principal: ORG2_CREDS.username, identityEndpoint: `${second.service}/login/${tenant}` });
  });

  it('refuses either organization’s credentials at the other', async () => {
    const password = (serviceUrl: string, creds: typeof ORG2_CREDS) =>
      connectAccount(ctx, {
        method: 'password',
        serviceUrl,
        clientId: creds.client_id,
        clientSecret: creds.client_secret,
        username: creds.username,
        password: creds.password,
      });
    await expect(password(second.service, CREDS)).rejects.toMatchObject({ kind: 'unprocessable' });
    await expect(password(first.service, ORG2_CREDS)).rejects.toMatchObject({ kind: 'unprocessable' });
  });

  it('fills in the chosen organization’s values over typed ones', async () => {
    const account = await connectAccount(ctx, {
      method: 'password',
      useSandbox: true,
      sandboxOrganization: 'first',
      serviceUrl: second.service,
      clientId: ORG2_CREDS.client_id,
    });
    expect(account).toMatchObject({ serviceUrl: first.service, settings: { clientId: CREDS.client_id } });
  });

  it("starts a Microsoft sign-in at the chosen organization's own authority, with its app registration", async () => {
    const started = await startMicrosoftSignIn(ctx, { useSandbox: true, sandboxOrganization: 'second' });
    const url = new URL(started.authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${second.service}/login/${tenant}/oauth2/v2.0/authorize`);
    expect(url.searchParams.get('client_id')).toBe(ORG2_CREDS.client_id);
    expect(url.searchParams.get('scope')).toContain(`${second.service}/`);
  });
});
