/**
 * The second organization (`<base>/org2`) over real HTTP: its schema differs from the first's
 * (metadata, $metadata and the Web API agree), its data is its own, and neither organization
 * accepts the other's token.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CREDS, ORG2_CREDS, passwordToken, secondOrganization, startSandbox, type TestSandbox } from '../../../test/support/sandbox';
import { ORG2_ORG_ID, ORG2_SALES_USER, ORG2_TENANT_ID } from './seed/second-org-constants';
import { SANDBOX_TENANT_ID } from './seed/constants';

type Json = Record<string, unknown>;

let one: TestSandbox;
let two: TestSandbox;
beforeEach(async () => {
  one = await startSandbox();
  two = secondOrganization(one);
});
afterEach(() => one.close());

const leadAttribute = (name: string) => `EntityDefinitions(LogicalName='lead')/Attributes(LogicalName='${name}')`;
const leadSourceOptions = async (t: TestSandbox) => {
  const r = await t.json<{ OptionSet: { Options: Array<{ Value: number; Label: { UserLocalizedLabel: { Label: string } } }> } }>(
    `${leadAttribute('leadsourcecode')}/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet`,
  );
  expect(r.status).toBe(200);
  return r.body.OptionSet.Options.map((o) => [o.Value, o.Label.UserLocalizedLabel.Label]);
};

describe('schema', () => {
  it("lead's custom whole-number column is in the second organization's metadata only", async () => {
    const score = await two.json<Json>(leadAttribute('new_leadscore'));
    expect(score.status).toBe(200);
    expect(score.body).toMatchObject({
      '@odata.type': '#Microsoft.Dynamics.CRM.IntegerAttributeMetadata',
      AttributeType: 'Integer',
      SchemaName: 'new_LeadScore',
      IsCustomAttribute: true,
      MinValue: 0,
      MaxValue: 100,
    });
    const missing = await one.json<{ error: Json }>(leadAttribute('new_leadscore'));
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({
      code: '0x80040217',
      message: "Could not find attribute with key 'LogicalName='new_leadscore'' on entity 'lead'.",
    });
    const names = async (t: TestSandbox) =>
      (await t.json<{ value: Json[] }>(`EntityDefinitions(LogicalName='lead')/Attributes?$select=LogicalName`)).body.value.map(
        (a) => a.LogicalName,
      );
    expect(await names(two)).toContain('new_leadscore');
    expect(await names(one)).not.toContain('new_leadscore');
  });

  it("lead's Lead Source choice has other options in each organization", async () => {
    expect(await leadSourceOptions(two)).toEqual([
      [1, 'Online ad'],
      [4, 'Reseller'],
      [100000000, 'Webinar'],
      [100000001, 'Trade fair'],
      [100000002, 'LinkedIn'],
    ]);
    const first = await leadSourceOptions(one);
    expect(first).toHaveLength(10);
    expect(first[0]).toEqual([1, 'Advertisement']);
    expect(first.map(([v]) => v)).not.toContain(100000000);
  });

  it('the custom Milestone table, its lookup to Project and its alternate key exist in the second organization only', async () => {
    const def = await two.json<Json>(`EntityDefinitions(LogicalName='new_milestone')?$select=LogicalName,EntitySetName,IsCustomEntity`);
    expect(def.status).toBe(200);
    expect(def.body).toMatchObject({ LogicalName: 'new_milestone', EntitySetName: 'new_milestones', IsCustomEntity: true });
    const keys = await two.json<{ value: Json[] }>(`EntityDefinitions(LogicalName='new_milestone')/Keys`);
    expect(keys.body.value.map((k) => [k.SchemaName, k.KeyAttributes])).toEqual([['new_MilestoneCodeKey', ['new_code']]]);
    const lookup = await two.json<Json>(
      `EntityDefinitions(LogicalName='new_milestone')/Attributes(LogicalName='new_projectid')/Microsoft.Dynamics.CRM.LookupAttributeMetadata?$select=Targets`,
    );
    expect(lookup.body.Targets).toEqual(['new_project']);

    const absent = await one.json<{ error: Json }>(`EntityDefinitions(LogicalName='new_milestone')`);
    expect(absent.status).toBe(404);
    expect(absent.body.error.code).toBe('0x80040217');
    const set = await one.json<{ error: Json }>('new_milestones');
    expect(set.status).toBe(404);
    expect(set.body.error).toEqual({ code: '0x8006088a', message: "Resource not found for the segment 'new_milestones'." });

    const tables = async (t: TestSandbox) =>
      (await t.json<{ value: Json[] }>('EntityDefinitions?$select=LogicalName')).body.value.map((e) => e.LogicalName);
    expect(await tables(two)).toContain('new_milestone');
    expect(await tables(one)).not.toContain('new_milestone');
    const csdl = async (t: TestSandbox) => (await t.call('$metadata', { headers: { accept: 'application/xml' } })).text();
    expect(await csdl(two)).toContain('<EntitySet Name="new_milestones" EntityType="mscrm.new_milestone">');
    expect(await csdl(two)).toContain('<Property Name="new_leadscore" Type="Edm.Int32"/>');
    expect(await csdl(one)).not.toContain('new_milestone');
    expect(await csdl(one)).not.toContain('new_leadscore');
  });

  it('the Web API enforces each schema: the extra column, the other choice values, the extra table', async () => {
    const lead = { subject: 'Schema check', lastname: 'Check', leadsourcecode: 100000001, new_leadscore: 70 };
    const created = await two.json<Json>('leads?$select=new_leadscore,leadsourcecode', {
      method: 'POST',
      headers: { prefer: 'return=representation' },
      body: JSON.stringify(lead),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ new_leadscore: 70, leadsourcecode: 100000001 });
    const tooHigh = await two.json<{ error: Json }>('leads', { method: 'POST', body: JSON.stringify({ ...lead, new_leadscore: 101 }) });
    expect(tooHigh.status).toBe(400);

    const noColumn = await one.json<{ error: Json }>('leads', {
      method: 'POST',
      body: JSON.stringify({ subject: 'x', lastname: 'y', new_leadscore: 5 }),
    });
    expect(noColumn.status).toBe(400);
    expect(String(noColumn.body.error.message)).toContain(
      "Invalid property 'new_leadscore' was found in entity 'Microsoft.Dynamics.CRM.lead'",
    );
    const noOption = await one.json<{ error: Json }>('leads', {
      method: 'POST',
      body: JSON.stringify({ subject: 'x', lastname: 'y', leadsourcecode: 100000001 }),
    });
    expect(noOption.status).toBe(400);
    expect(noOption.body.error).toEqual({
      code: '0x8004431a',
      message: expect.stringMatching(
        /^A validation error occurred\. The value 100000001 of 'leadsourcecode' on record of type 'lead' is outside the valid range\. Accepted Values: [\d,]+$/,
      ) as unknown as string,
    });

    // The alternate key of the extra table addresses a seeded row, and a duplicate code is refused.
    const byKey = await two.json<Json>("new_milestones(new_code='P2-100-M1')?$select=new_name,_new_projectid_value");
    expect(byKey.status).toBe(200);
    expect(byKey.body.new_name).toBe('Warehouse automation: Kick-off');
    const duplicate = await two.json<{ error: Json }>('new_milestones', {
      method: 'POST',
      body: JSON.stringify({ new_name: 'Again', new_code: 'P2-100-M1' }),
    });
    expect(duplicate.status).toBe(412);
  });
});

describe('data', () => {
  it('each organization has its own seed data', async () => {
    const leads = await two.json<{ value: Json[] }>('leads?$select=fullname,companyname,new_leadscore&$orderby=lastname');
    expect(leads.body.value.map((l) => [l.fullname, l.new_leadscore])).toEqual([
      ['Tomas Berg', 55],
      ['Jonas Keller', 30],
      ['Ines Moreau', 82],
      ['Amara Okafor', 91],
      ['Priya Raman', 67],
    ]);
    const contacts = await two.json<{ value: Json[] }>('contacts?$select=fullname&$count=true');
    expect(contacts.body['@odata.count' as never]).toBe(6);
    const projects = await two.json<{ value: Json[] }>('new_projects?$select=new_code&$orderby=new_code');
    expect(projects.body.value.map((p) => p.new_code)).toEqual(['P2-100', 'P2-101', 'P2-102']);
    const milestones = await two.json<{ value: Json[] }>(
      "new_milestones?$select=new_code&$filter=new_ProjectId/new_code eq 'P2-101'&$orderby=new_code",
    );
    expect(milestones.body.value.map((m) => m.new_code)).toEqual(['P2-101-M1', 'P2-101-M2']);

    const firstLeads = await one.json<{ value: Json[] }>('leads?$select=fullname&$count=true');
    expect(firstLeads.body['@odata.count' as never]).toBe(40);
    const firstProjects = await one.json<{ value: Json[] }>("new_projects?$select=new_code&$filter=new_code eq 'P2-100'");
    expect(firstProjects.body.value).toEqual([]);
  });

  it("a write in one organization is not seen by the other, and a reset of one leaves the other's data", async () => {
    const post = (t: TestSandbox, lastname: string) =>
      t.call('leads', { method: 'POST', body: JSON.stringify({ subject: 'Separate', lastname }) });
    expect((await post(one, 'OnlyInOne')).status).toBe(204);
    expect((await post(two, 'OnlyInTwo')).status).toBe(204);
    const named = async (t: TestSandbox, lastname: string) =>
      (await t.json<{ value: Json[] }>(`leads?$select=leadid&$filter=lastname eq '${lastname}'`)).body.value.length;
    expect([await named(one, 'OnlyInOne'), await named(two, 'OnlyInOne')]).toEqual([1, 0]);
    expect([await named(one, 'OnlyInTwo'), await named(two, 'OnlyInTwo')]).toEqual([0, 1]);

    expect((await two.hook('reset', { method: 'POST' })).status).toBe(200);
    expect([await named(one, 'OnlyInOne'), await named(two, 'OnlyInTwo')]).toEqual([1, 0]);
  });

  it('WhoAmI and the info hook name the second organization, its tenant and its own user and client', async () => {
    const who = await two.json<Json>('WhoAmI');
    expect(who.body).toMatchObject({ UserId: ORG2_SALES_USER.systemuserid, OrganizationId: ORG2_ORG_ID });
    const info = (await (await two.hook('')).json()) as Json;
    expect(info).toMatchObject({
      serviceUrl: two.service,
      authority: `${two.service}/login/organizations`,
      tenantId: ORG2_TENANT_ID,
      organizationId: ORG2_ORG_ID,
      clientId: ORG2_CREDS.client_id,
    });
    expect(((await (await one.hook('')).json()) as Json).tenantId).toBe(SANDBOX_TENANT_ID);
  });
});

describe('sign-in', () => {
  const whoAmI = (t: TestSandbox, token: string) => fetch(`${t.api}/WhoAmI`, { headers: { authorization: `Bearer ${token}` } });

  it("a token of one organization is refused by the other: 401, empty body, the other's challenge", async () => {
    for (const [from, to] of [
      [one, two],
      [two, one],
    ] as const) {
      const res = await whoAmI(to, await from.token());
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('');
      const tenant = to === two ? ORG2_TENANT_ID : SANDBOX_TENANT_ID;
      expect(res.headers.get('www-authenticate')).toBe(
        `Bearer authorization_uri=${to.service}/login/${tenant}/oauth2/authorize, resource_id=${to.service}/`,
      );
      expect(res.headers.get('x-ms-diagnostics')).toBe(
        `IDX10214: Audience validation failed. Did not match: validationParameters.ValidAudience: '${to.service}'`,
      );
      expect((await whoAmI(from, await from.token())).status).toBe(200);
    }
  });

  it("a token the first organization's endpoint issued for the second's audience is refused: its tenant is not the second's", async () => {
    const { access_token } = await passwordToken(one.service, { scope: `${two.service}/.default` });
    const res = await whoAmI(two, access_token);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('');
    expect(res.headers.get('x-ms-diagnostics')).toBe(
      `The access token's tenant '${SANDBOX_TENANT_ID}' is not the tenant of this organization`,
    );
  });

  it("each organization's directory knows only its own client and users", async () => {
    const token = (t: TestSandbox, creds: Record<string, string>) =>
      fetch(`${t.service}/login/organizations/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'password', ...creds, scope: `${t.service}/.default` }),
      });
    const firstClient = await token(two, CREDS);
    expect(firstClient.status).toBe(400);
    expect(((await firstClient.json()) as Json).error_description).toMatch(
      new RegExp(`^AADSTS700016: Application with identifier 'sandbox-client' was not found in the directory '${ORG2_TENANT_ID}'`),
    );
    const firstUser = await token(two, { ...ORG2_CREDS, username: CREDS.username });
    expect(firstUser.status).toBe(400);
    expect(((await firstUser.json()) as Json).error_description).toMatch(/^AADSTS50034/);
    const secondClient = await token(one, ORG2_CREDS);
    expect(secondClient.status).toBe(400);
    expect(((await secondClient.json()) as Json).error_description).toMatch(
      /^AADSTS700016: Application with identifier 'sandbox-org2-client'/,
    );
    const ok = await token(two, ORG2_CREDS);
    expect(ok.status).toBe(200);
  });

  it('client credentials of the second organization act as its application user', async () => {
    const res = await fetch(`${two.service}/login/${ORG2_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: ORG2_CREDS.client_id,
        client_secret: ORG2_CREDS.client_secret,
        scope: `${two.service}/.default`,
      }),
    });
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const who = (await (await whoAmI(two, access_token)).json()) as Json;
    expect(who.OrganizationId).toBe(ORG2_ORG_ID);
    expect(who.UserId).not.toBe(ORG2_SALES_USER.systemuserid);
  });
});

describe('with per-user tenants and persistent storage', () => {
  it("a user's tenant selects their own organization in each; both persist across a restart, the second under <dir>/org2", async () => {
    await one.close();
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-org2-'));
    const user = 'a1b2c3d4-0000-4000-8000-00000000abcd';
    const tenantOf = (segment: string, kind: string, defaultTenant: string) =>
      kind !== 'tenant' ? defaultTenant : segment.toLowerCase() === user ? user : null;
    const start = async () => {
      const s = await startSandbox({ storage: { dir }, tenantOf });
      return { s, o2: secondOrganization(s) };
    };
    const userToken = async (service: string, creds: Record<string, string>) =>
      (
        await fetch(`${service}/login/${user}/oauth2/v2.0/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'password', ...creds, scope: `${service}/.default` }),
        }).then((r) => r.json() as Promise<{ access_token: string }>)
      ).access_token;
    try {
      let { s, o2 } = await start();
      const token = await userToken(o2.service, ORG2_CREDS);
      const write = await fetch(`${o2.api}/leads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'Kept', lastname: 'Persisted', new_leadscore: 12 }),
      });
      expect(write.status).toBe(204);
      // An unknown tenant GUID is refused by the second organization's identity endpoint too.
      const refused = await fetch(`${o2.service}/login/0b0b0b0b-0000-4000-8000-000000000000/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'password', ...ORG2_CREDS, scope: `${o2.service}/.default` }),
      });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as Json).error_description).toMatch(/^AADSTS90002/);
      s.sandbox.flush();
      await s.close();
      expect(existsSync(join(dir, 'org2', 'sandbox.sqlite'))).toBe(true);
      // One signing key for both (the second organization has none of its own).
      expect(existsSync(join(dir, 'org2', 'signing-key.json'))).toBe(false);

      ({ s, o2 } = await start());
      const again = await userToken(o2.service, ORG2_CREDS);
      const read = await fetch(`${o2.api}/leads?$select=new_leadscore&$filter=lastname eq 'Persisted'`, {
        headers: { authorization: `Bearer ${again}` },
      });
      expect(((await read.json()) as { value: Json[] }).value.map((l) => l.new_leadscore)).toEqual([12]);
      // The user's organization in the first organization's sandbox has no such lead: the tenants are separate per profile.
      const first = await userToken(s.service, CREDS);
      const other = await fetch(`${s.api}/leads?$select=leadid&$filter=lastname eq 'Persisted'`, {
        headers: { authorization: `Bearer ${first}` },
      });
      expect(((await other.json()) as { value: Json[] }).value).toEqual([]);
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      one = await startSandbox(); // afterEach closes it
    }
  });
});
