/**
 * Two accounts of one user, one connected to each sandbox organization through the real account
 * service (account rows in SQLite and PostgreSQL), read through getClientForAccount and the real
 * metadata cache and discovery: the two accounts' lead schemas differ as the organizations do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAccount, type AccountContext } from '@/lib/dynamics/accounts/account-service';
import { getClientForAccount } from '@/lib/dynamics/accounts/account-client';
import { MetadataCache } from '@/lib/dynamics/metadata';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { CREDS, ORG2_CREDS, secondOrganization, startSandbox, type TestSandbox } from '@/test/support/sandbox';

let first: TestSandbox;
let second: TestSandbox;
const savedEnv = { ...process.env };

beforeAll(async () => {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') } }));
  first = await startSandbox();
  second = secondOrganization(first);
  // The sandbox listens on a loopback port: allow it the way DYNAMICS_ALLOWED_HOSTS would.
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(first.service).host;
  process.env.NEXTAUTH_URL = new URL(first.service).origin;
});
afterAll(async () => {
  process.env = savedEnv;
  setProcessKeyring(undefined);
  await first.close();
});

describe.each(DATABASE_KINDS)('an account on each sandbox organization (%s)', (kind) => {
  let db: TestDb;
  let ctx: AccountContext;
  let one: string;
  let two: string;

  beforeAll(async () => {
    db = await openTestDb(kind);
    const user = await createTestUser(db, 'two-orgs');
    ctx = { db, ownerId: user.id, appOrigin: new URL(first.service).origin };
    one = (
      await connectAccount(ctx, {
        method: 'password',
        serviceUrl: first.service,
        clientId: CREDS.client_id,
        clientSecret: CREDS.client_secret,
        username: CREDS.username,
        password: CREDS.password,
        name: 'First organization',
      })
    ).id;
    // The second organization's service URL is not the sandbox's /sandbox: its authority is given.
    two = (
      await connectAccount(ctx, {
        method: 'password',
        serviceUrl: second.service,
        identityEndpoint: second.authority,
        clientId: ORG2_CREDS.client_id,
        clientSecret: ORG2_CREDS.client_secret,
        username: ORG2_CREDS.username,
        password: ORG2_CREDS.password,
        name: 'Second organization',
      })
    ).id;
  });
  afterAll(() => db.close());

  it("discovery through the metadata cache shows each organization's own lead schema and tables", async () => {
    const cache = new MetadataCache();
    const clientOne = await getClientForAccount(db, ctx.ownerId, one);
    const clientTwo = await getClientForAccount(db, ctx.ownerId, two);
    const [leadOne, leadTwo] = await Promise.all([cache.table(clientOne, 'lead'), cache.table(clientTwo, 'lead')]);

    const score = leadTwo.columns.find((c) => c.logicalName === 'new_leadscore');
    expect(score).toMatchObject({ type: 'integer', isCustom: true, displayName: 'Lead Score' });
    expect(leadOne.columns.map((c) => c.logicalName)).not.toContain('new_leadscore');

    const sources = (s: typeof leadOne) =>
      s.columns.find((c) => c.logicalName === 'leadsourcecode')?.choices?.map((o) => [o.value, o.label]);
    expect(sources(leadTwo)).toEqual([
      [1, 'Online ad'],
      [4, 'Reseller'],
      [100000000, 'Webinar'],
      [100000001, 'Trade fair'],
      [100000002, 'LinkedIn'],
    ]);
    expect(sources(leadOne)?.slice(0, 2)).toEqual([
      [1, 'Advertisement'],
      [2, 'Employee Referral'],
    ]);
    // The rest of lead is the same system table in both.
    const common = (s: typeof leadOne) => s.columns.filter((c) => !['new_leadscore', 'leadsourcecode'].includes(c.logicalName));
    expect(common(leadTwo)).toEqual(common(leadOne));

    const [tablesOne, tablesTwo] = await Promise.all([cache.tables(clientOne), cache.tables(clientTwo)]);
    expect(tablesTwo.tables.map((t) => t.logicalName)).toContain('new_milestone');
    expect(tablesOne.tables.map((t) => t.logicalName)).not.toContain('new_milestone');
    const milestone = await cache.table(clientTwo, 'new_milestone');
    expect(milestone.alternateKeys).toEqual([expect.objectContaining({ columns: ['new_code'] })]);
    expect(milestone.columns.find((c) => c.logicalName === 'new_projectid')?.targets).toEqual([
      { table: 'new_project', navigationProperty: 'new_ProjectId' },
    ]);
  });

  it("each account reads its own organization's data and is its own organization's user", async () => {
    const clientOne = await getClientForAccount(db, ctx.ownerId, one);
    const clientTwo = await getClientForAccount(db, ctx.ownerId, two);
    const [whoOne, whoTwo] = await Promise.all([clientOne.whoAmI(), clientTwo.whoAmI()]);
    expect(whoOne.OrganizationId).not.toBe(whoTwo.OrganizationId);
    expect(whoTwo.OrganizationId).toBe('c0ffee00-5a9d-4b0c-8e1f-2d3c4b5a0002');
    const leads = async (client: typeof clientOne) => {
      const rows: Record<string, unknown>[] = [];
      for await (const page of client.retrievePages('leads', { select: ['fullname'], formattedValues: true })) rows.push(...page);
      return rows;
    };
    const [leadsOne, leadsTwo] = await Promise.all([leads(clientOne), leads(clientTwo)]);
    expect(leadsOne).toHaveLength(40);
    expect(leadsTwo.map((l) => l.fullname).sort()).toEqual(['Amara Okafor', 'Ines Moreau', 'Jonas Keller', 'Priya Raman', 'Tomas Berg']);
  });
});
