/**
 * The client against the sandbox over real HTTP: CRUD, upsert modes, lazy paging, count, change
 * tracking, metadata, errors, and OData injection attempts (the sandbox log shows well-formed
 * URLs only; hostile names never leave the process).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestSandbox } from '../../../test/support/sandbox';
import { createDataverseClient } from './create-client';
import { DataverseError } from './errors/dataverse-error';
import { hostOf, recordingPort, requestLog, sandboxAccount } from '../../../test/support/client-fixtures';
import type { DataverseClient, DataverseRecord } from './types';

const t = setupTestSandbox();
let client: DataverseClient;

beforeAll(async () => {
  client = createDataverseClient(sandboxAccount(t), recordingPort(), { allowedHosts: [hostOf(t)], retry: { baseDelayMs: 5 } });
});

async function all(entitySet: string, query: Parameters<DataverseClient['retrievePages']>[1]): Promise<DataverseRecord[]> {
  const rows: DataverseRecord[] = [];
  for await (const page of client.retrievePages(entitySet, query)) rows.push(...page);
  return rows;
}

describe('CRUD', () => {
  it('creates with a client-generated id, retrieves, updates and deletes', async () => {
    const { id } = await client.create('accounts', { name: 'Contoso Test', revenue: 1000 });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const row = await client.retrieve('accounts', { id }, { select: ['name', 'revenue'] });
    expect(row).toMatchObject({ name: 'Contoso Test', accountid: id });
    await client.update('accounts', { id }, { name: 'Contoso Renamed' });
    expect((await client.retrieve('accounts', { id }, { select: ['name'] }))?.name).toBe('Contoso Renamed');
    await client.delete('accounts', { id });
    expect(await client.retrieve('accounts', { id })).toBeNull();
    const posted = (await requestLog(t, { method: 'POST', path: '/accounts' }))[0];
    expect(JSON.parse(posted?.body ?? '{}')).toMatchObject({ accountid: id });
  });

  it('returns the record on create when columns are asked for', async () => {
    const r = await client.create('contacts', { firstname: 'Ada', lastname: 'Lovelace' }, { select: ['fullname', 'lastname'] });
    expect(r.record).toMatchObject({ lastname: 'Lovelace', contactid: r.id });
  });

  it('update of a missing row is a typed 404, not an accidental create', async () => {
    const err = await client.update('accounts', { id: '00000000-0000-0000-0000-0000000000aa' }, { name: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataverseError);
    expect(err).toMatchObject({ status: 404, code: '0x80040217', transient: false });
    expect((err as DataverseError).explanation).toMatch(/does not exist/);
  });

  it('upsert says created or updated, and honours createOnly / updateOnly', async () => {
    const id = crypto.randomUUID();
    expect(await client.upsert('accounts', { id }, { name: 'Upserted' })).toEqual({ id, created: true });
    expect(await client.upsert('accounts', { id }, { name: 'Upserted again' })).toEqual({ id, created: false });
    await expect(client.upsert('accounts', { id }, { name: 'x' }, { mode: 'createOnly' })).rejects.toMatchObject({ status: 412 });
    await expect(client.upsert('accounts', { id: crypto.randomUUID() }, { name: 'x' }, { mode: 'updateOnly' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('an unknown column is a 400 with Microsoft’s message verbatim and is not retried', async () => {
    const before = (await requestLog(t)).length;
    const err = await all('accounts', { select: ['no_such_column'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400 });
    expect((err as DataverseError).serviceMessage).toContain("Could not find a property named 'no_such_column'");
    expect((await requestLog(t)).length - before).toBe(1);
  });

  it('WhoAmI', async () => {
    const me = await client.whoAmI();
    expect(me).toEqual({ UserId: expect.any(String), BusinessUnitId: expect.any(String), OrganizationId: expect.any(String) });
    const logged = (await requestLog(t, { path: 'WhoAmI' })).at(-1);
    expect(logged?.path).toBe('/api/data/v9.2/WhoAmI');
  });
});

describe('queries', () => {
  it('pages lazily with the page size asked for and stops at top', async () => {
    const total = await client.count('accounts');
    expect(total).toBeGreaterThan(20);
    const sizes: number[] = [];
    for await (const page of client.retrievePages('accounts', { select: ['name'], pageSize: 7, top: 20 })) sizes.push(page.length);
    expect(sizes).toEqual([7, 7, 6]);
    const gets = (await requestLog(t, { method: 'GET', path: '/accounts?' })).slice(-3);
    expect(gets.every((g) => g.headers.prefer?.includes('odata.maxpagesize=7'))).toBe(true);
  });

  it('uses $top when one page suffices; orders; filters; counts', async () => {
    const rows = await all('accounts', { select: ['name', 'revenue'], orderBy: [{ field: 'revenue', descending: true }], top: 3 });
    expect(rows).toHaveLength(3);
    const revenues = rows.map((r) => Number(r.revenue ?? 0));
    expect([...revenues].sort((a, b) => b - a)).toEqual(revenues);
    const big = await all('accounts', {
      select: ['revenue'],
      filter: { match: 'all', conditions: [{ field: 'revenue', operator: 'gt', value: 1_000_000 }] },
    });
    expect(big.every((r) => Number(r.revenue) > 1_000_000)).toBe(true);
    expect(await client.count('accounts', { match: 'all', conditions: [{ field: 'revenue', operator: 'gt', value: 1_000_000 }] })).toBe(
      big.length,
    );
  });

  it('supports the Microsoft.Dynamics.CRM functions (In, LastXDays)', async () => {
    const a = await client.create('contacts', { lastname: "O'Hara" }, { select: ['lastname'] });
    const b = await client.create('contacts', { lastname: 'Smithson' });
    const rows = await all('contacts', {
      select: ['lastname'],
      filter: {
        match: 'all',
        conditions: [
          { field: 'lastname', operator: 'in', value: ["O'Hara", 'Smithson'] },
          { field: 'createdon', operator: 'last_x_days', value: 1 },
        ],
      },
    });
    expect(rows.map((r) => r.contactid).sort()).toEqual([a.id, b.id].sort());
  });

  it('formatted values on request', async () => {
    const [row] = await all('accounts', { select: ['statecode'], top: 1, formattedValues: true });
    expect(row?.['statecode@OData.Community.Display.V1.FormattedValue']).toBe('Active');
  });

  it('change tracking: initial round, then changes and deletions', async () => {
    let token = '';
    let initial = 0;
    for await (const page of client.changes('leads', { select: ['subject'], pageSize: 50 })) {
      initial += page.changed.length;
      if (page.final) token = page.deltaToken;
    }
    expect(initial).toBeGreaterThan(0);
    expect(token).not.toBe('');
    const { id } = await client.create('leads', { subject: 'New lead', lastname: 'Lead' });
    // Any lead but the one just created (rows come in id order, and a new random id may sort first).
    const victim = (await all('leads', { select: ['subject'], top: 2 })).find((r) => r.leadid !== id);
    const victimId = String(victim?.leadid);
    await client.delete('leads', { id: victimId });
    const changed: string[] = [];
    const deleted: string[] = [];
    for await (const page of client.changes('leads', { select: ['subject'], deltaToken: token })) {
      changed.push(...page.changed.map((r) => String(r.leadid)));
      deleted.push(...page.deleted);
    }
    expect(changed).toContain(id);
    expect(deleted).toEqual([victimId]);
  });

  it('metadata GETs', async () => {
    const defs = await client.getMetadata<{ value: { LogicalName: string }[] }>(
      "EntityDefinitions?$select=LogicalName,EntitySetName&$filter=LogicalName eq 'account'",
    );
    expect(defs.value.map((d) => d.LogicalName)).toEqual(['account']);
    await expect(client.getMetadata('../../_sandbox/reset')).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('OData injection', () => {
  const hostile = "O'Brien) or (1 eq 1";

  it('a hostile value is data: it matches only itself, and the logged URL is well formed', async () => {
    await client.create('contacts', { lastname: hostile });
    await client.create('contacts', { lastname: 'Brien' });
    const since = (await requestLog(t)).at(-1)?.seq ?? 0;
    for (const operator of ['eq', 'contains', 'startswith', 'endswith'] as const) {
      const rows = await all('contacts', {
        select: ['lastname'],
        filter: { match: 'all', conditions: [{ field: 'lastname', operator, value: hostile }] },
      });
      expect(rows.map((r) => r.lastname)).toEqual([hostile]);
    }
    const wildcard = await all('contacts', {
      select: ['lastname'],
      filter: { match: 'all', conditions: [{ field: 'lastname', operator: 'contains', value: '%' }] },
    });
    expect(wildcard).toEqual([]); // `%` is a literal percent sign, not "anything"
    const logged = (await requestLog(t, { since: String(since) })).filter((r) => r.path.includes('/contacts?'));
    expect(logged.length).toBe(5);
    for (const r of logged) {
      expect(r.status).toBe(200);
      expect(r.path).toMatch(/^\/api\/data\/v9\.2\/contacts\?[A-Za-z0-9$=&%,._~'()*!-]+$/);
    }
    const filters = logged.map((r) => new URL(r.path, 'http://x').searchParams.get('$filter'));
    expect(filters).toEqual([
      "lastname eq 'O''Brien) or (1 eq 1'",
      "contains(lastname,'O''Brien) or (1 eq 1')",
      "startswith(lastname,'O''Brien) or (1 eq 1')",
      "endswith(lastname,'O''Brien) or (1 eq 1')",
      "contains(lastname,'[%]')",
    ]);
  });

  it.each([
    [
      'entity set',
      () => client.retrieve("accounts(00000000-0000-0000-0000-000000000001)/x'", { id: '00000000-0000-0000-0000-000000000001' }),
    ],
    ['id', () => client.retrieve('accounts', { id: "00000000-0000-0000-0000-000000000001') or (1 eq 1" })],
    ['column', () => all('accounts', { select: ['name,accountid)&$filter=1 eq 1'] })],
    [
      'filter column',
      () => all('accounts', { filter: { match: 'all', conditions: [{ field: "name eq 'x' or name", operator: 'eq', value: 'y' }] } }),
    ],
    ['order column', () => all('accounts', { orderBy: [{ field: 'name desc,accountid' }] })],
    ['alternate key column', () => client.retrieve('accounts', { alternateKey: { "accountnumber='1'": 'x' } })],
    ['path traversal', () => client.delete('../accounts', { id: '00000000-0000-0000-0000-000000000001' })],
    ['percent-encoded quote', () => client.create('accounts%27', { name: 'x' })],
  ])('refuses a hostile %s before anything is sent', async (_what, call) => {
    const before = (await requestLog(t)).length;
    await expect(call()).rejects.toMatchObject({ code: 'invalid_request' });
    expect((await requestLog(t)).length).toBe(before);
  });

  it('alternate key values are escaped and encoded', async () => {
    const key = "A/1'?&#";
    await client.upsert('accounts', { alternateKey: { accountnumber: key } }, { name: 'Keyed' }).catch(() => undefined);
    const row = await client.retrieve('accounts', { alternateKey: { accountnumber: key } }, { select: ['accountnumber'] });
    if (row) expect(row.accountnumber).toBe(key);
    const logged = (await requestLog(t, { path: 'accountnumber' })).map((r) => r.path);
    expect(logged.length).toBeGreaterThan(0);
    for (const p of logged) expect(p).toContain(`accountnumber=${encodeURIComponent("'A/1''?&#'")}`);
  });
});
