/**
 * Conformance: retrieve multiple — $select/$filter/$orderby/$top/$count/$expand, paging, annotations,
 * Dataverse query functions, and 400 for unknown or mis-cased property names.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/queryfunctions
 */
import { describe, expect, it } from 'vitest';
import { jsonBody, setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox();

type Row = Record<string, unknown>;
type Page = { value: Row[]; '@odata.nextLink'?: string; '@odata.count'?: number; '@odata.context': string } & Row;
const q = (s: string): string => encodeURIComponent(s);

describe('$filter', () => {
  it('comparison, logical operators and parentheses', async () => {
    const r = await t.json<Page>(
      `accounts?$select=numberofemployees,accountcategorycode&$filter=${q('(numberofemployees gt 1000 and accountcategorycode eq 1) or numberofemployees lt 10')}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.value.length).toBeGreaterThan(0);
    for (const a of r.body.value) {
      const n = Number(a.numberofemployees);
      expect((n > 1000 && a.accountcategorycode === 1) || n < 10).toBe(true);
    }
  });
  it('string functions are case-insensitive and honour not', async () => {
    const lower = await t.json<Page>(`contacts?$select=lastname&$filter=${q("startswith(lastname,'and')")}`);
    const upper = await t.json<Page>(`contacts?$select=lastname&$filter=${q("startswith(lastname,'AND')")}`);
    expect(lower.body.value.length).toBeGreaterThan(0);
    expect(upper.body.value.length).toBe(lower.body.value.length);
    const notContains = await t.json<Page>(`contacts?$select=lastname&$filter=${q("not contains(lastname,'a')")}`);
    for (const c of notContains.body.value) expect(String(c.lastname).toLowerCase()).not.toContain('a');
    const ends = await t.json<Page>(`accounts?$select=name&$filter=${q("endswith(name,'(sample)')")}`);
    expect(ends.body.value.length).toBeGreaterThan(0);
    for (const a of ends.body.value) expect(String(a.name)).toMatch(/\(sample\)$/);
  });
  it("quotes are doubled: lastname eq 'O''Brian'; an unterminated literal is 400 with ODL's message", async () => {
    const r = await t.json<Page>(`contacts?$select=lastname&$filter=${q("lastname eq 'O''Brian'")}`);
    expect(r.body.value.length).toBeGreaterThan(0);
    for (const c of r.body.value) expect(c.lastname).toBe("O'Brian");
    const bad = await t.json<{ error: { code: string; message: string } }>(`contacts?$filter=${q("lastname eq 'O'Bryan'")}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe("There is an unterminated literal at position 21 in 'lastname eq 'O'Bryan''.");
  });
  it('null comparisons and lookup _x_value GUIDs (quoted or not)', async () => {
    const acc = await t.json<Page>('accounts?$select=accountid&$top=1');
    const id = String(acc.body.value[0]?.accountid);
    const a = await t.json<Page>(`contacts?$select=_parentcustomerid_value&$filter=_parentcustomerid_value eq ${id}`);
    const b = await t.json<Page>(`contacts?$select=_parentcustomerid_value&$filter=_parentcustomerid_value eq '${id}'`);
    expect(a.body.value.length).toBeGreaterThan(0);
    expect(b.body.value.length).toBe(a.body.value.length);
    const nulls = await t.json<Page>(`contacts?$select=mobilephone&$filter=mobilephone eq null`);
    expect(nulls.body.value.length).toBeGreaterThan(0);
    for (const c of nulls.body.value) expect(c.mobilephone).toBeNull();
  });
  it('lookup path filters through navigation properties', async () => {
    const r = await t.json<Page>(
      `contacts?$select=fullname&$expand=parentcustomerid_account($select=name)&$filter=${q("parentcustomerid_account/name eq 'Fabrikam Group' or startswith(parentcustomerid_account/name,'Fab')")}`,
    );
    expect(r.body.value.length).toBeGreaterThan(0);
    for (const c of r.body.value) expect(String((c.parentcustomerid_account as Row).name)).toMatch(/^Fab/);
  });
  it('Microsoft.Dynamics.CRM.In / NotIn / Between with parameter aliases', async () => {
    const inRes = await t.json<Page>(
      `contacts?$select=lastname&$filter=${q('Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)')}&@p1=${q("'lastname'")}&@p2=${q('["Vance","O\'Brian"]')}`,
    );
    expect(inRes.status).toBe(200);
    expect(inRes.body.value.length).toBeGreaterThan(0);
    for (const c of inRes.body.value) expect(['Vance', "O'Brian"]).toContain(c.lastname);
    const between = await t.json<Page>(
      `accounts?$select=numberofemployees&$filter=${q('Microsoft.Dynamics.CRM.Between(PropertyName=\'numberofemployees\',PropertyValues=["5","2000"])')}`,
    );
    for (const a of between.body.value) expect(Number(a.numberofemployees)).toBeGreaterThanOrEqual(5);
    for (const a of between.body.value) expect(Number(a.numberofemployees)).toBeLessThanOrEqual(2000);
    const notIn = await t.json<Page>(
      `accounts?$select=accountcategorycode&$filter=${q('Microsoft.Dynamics.CRM.NotIn(PropertyName=\'accountcategorycode\',PropertyValues=["1"])')}`,
    );
    expect(notIn.body.value.length).toBeGreaterThan(0);
    for (const a of notIn.body.value) expect(a.accountcategorycode).toBe(2);
  });
  it('date functions: Today / LastXDays / OlderThanXDays / On, and EqualUserId', async () => {
    const res = await t.call('accounts', { method: 'POST', ...jsonBody({ name: 'Fresh' }) });
    expect(res.status).toBe(204);
    const today = await t.json<Page>(`accounts?$select=name&$filter=${q("Microsoft.Dynamics.CRM.Today(PropertyName='createdon')")}`);
    expect(today.body.value.map((a) => a.name)).toEqual(['Fresh']);
    const last = await t.json<Page>(
      `accounts?$select=name&$filter=${q('Microsoft.Dynamics.CRM.LastXDays(PropertyName=@p1,PropertyValue=@p2)')}&@p1=${q("'createdon'")}&@p2=7`,
    );
    expect(last.body.value.map((a) => a.name)).toEqual(['Fresh']);
    const older = await t.json<Page>(
      `accounts?$select=name&$count=true&$filter=${q("Microsoft.Dynamics.CRM.OlderThanXDays(PropertyName='createdon',PropertyValue=30)")}`,
    );
    expect(older.body['@odata.count']).toBe(60);
    const on = await t.json<Page>(
      `accounts?$select=name&$filter=${q(`Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='${new Date().toISOString().slice(0, 10)}')`)}`,
    );
    expect(on.body.value.length).toBe(1);
    const mine = await t.json<Page>(
      `accounts?$select=name&$count=true&$filter=${q("Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')")}`,
    );
    const all = await t.json<Page>(`accounts?$select=name&$count=true&$filter=_ownerid_value eq 1b2c3d4e-0003-4a00-8000-000000000001`);
    expect(mine.body['@odata.count']).toBe(all.body['@odata.count']);
  });
  it('datetime literals compare as instants', async () => {
    const r = await t.json<Page>(`accounts?$select=createdon&$filter=createdon ge 2025-01-15T00:00:00Z and createdon lt 2025-01-18`);
    expect(r.body.value.length).toBeGreaterThan(0);
    for (const a of r.body.value) expect(String(a.createdon) >= '2025-01-15T00:00:00Z' && String(a.createdon) < '2025-01-18').toBe(true);
  });
  it('unknown or mis-cased property in $select/$filter/$orderby → 400 0x0 "Could not find a property named"', async () => {
    for (const path of ['accounts?$select=Name', 'accounts?$filter=Name eq 1', 'accounts?$orderby=Name']) {
      const r = await t.json<{ error: { code: string; message: string } }>(path);
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual({
        code: '0x0',
        message: "Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'.",
      });
    }
  });
  it('incompatible operand types are 400', async () => {
    const r = await t.json<{ error: { message: string } }>(`accounts?$filter=name eq 5`);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('incompatible types');
  });
  it('$skip, $search and $format are not supported', async () => {
    for (const o of ['$skip=1', '$search=x', '$format=json']) {
      const r = await t.json<{ error: { message: string } }>(`accounts?${o}`);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe(`The query parameter ${o.split('=')[0] ?? ''} is not supported`);
    }
  });
  it('any/all lambdas over collection-valued navigation properties', async () => {
    const r = await t.json<Page>(`accounts?$select=name&$filter=${q("contact_customer_accounts/any(c:startswith(c/lastname,'V'))")}`);
    expect(r.status).toBe(200);
    expect(r.body.value.length).toBeGreaterThan(0);
  });
});

describe('ordering, top, count', () => {
  it('$orderby asc/desc with case-insensitive strings and nulls first', async () => {
    const r = await t.json<Page>('accounts?$select=name,revenue&$orderby=revenue desc,name asc');
    const revenues = r.body.value.map((a) => Number(a.revenue));
    expect([...revenues].sort((a, b) => b - a)).toEqual(revenues);
    const names = await t.json<Page>('contacts?$select=lastname&$orderby=lastname');
    const list = names.body.value.map((c) => String(c.lastname).toLowerCase());
    expect([...list].sort()).toEqual(list);
  });
  it('lookup columns order by the related primary name', async () => {
    const r = await t.json<Page>('contacts?$select=_parentcustomerid_value&$orderby=_parentcustomerid_value&$top=50', {
      headers: { prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' },
    });
    const names = r.body.value.map((c) => String(c['_parentcustomerid_value@OData.Community.Display.V1.FormattedValue']).toLowerCase());
    expect([...names].sort()).toEqual(names);
  });
  it('$top limits rows; $count=true puts @odata.count before value; /$count is text/plain', async () => {
    const r = await t.call('contacts?$select=fullname&$top=5&$count=true');
    const text = await r.text();
    const body = JSON.parse(text) as Page;
    expect(body.value).toHaveLength(5);
    expect(body['@odata.count']).toBe(200);
    expect(text.indexOf('@odata.count')).toBeLessThan(text.indexOf('"value"'));
    const c = await t.call('contacts/$count');
    expect(c.headers.get('content-type')).toBe('text/plain');
    expect(await c.text()).toBe('200');
  });
  it('totalrecordcount annotations with and without $count', async () => {
    const prefer = {
      prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"',
    };
    const withCount = await t.json<Page>('leads?$select=subject&$count=true&$top=1', { headers: prefer });
    expect(withCount.body['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(40);
    expect(withCount.body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded']).toBe(false);
    const without = await t.json<Page>('leads?$select=subject&$top=1', { headers: prefer });
    expect(without.body['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(-1);
  });
});

describe('paging', () => {
  it('odata.maxpagesize pages with @odata.nextLink/$skiptoken cookies until the last page; every row once', async () => {
    const seen = new Set<string>();
    let url = `${t.api}/contacts?$select=fullname`;
    let pages = 0;
    for (;;) {
      const res = await t.call(url, { headers: { prefer: 'odata.maxpagesize=30' } });
      expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=30');
      const body = (await res.json()) as Page;
      pages++;
      for (const c of body.value) seen.add(String(c.contactid));
      const next = body['@odata.nextLink'];
      if (!next) {
        expect(body.value.length).toBeLessThanOrEqual(30);
        break;
      }
      expect(body.value).toHaveLength(30);
      expect(next.startsWith(`${t.api}/contacts?$select=fullname&$skiptoken=`)).toBe(true);
      expect(next).toContain('$skiptoken=%3Ccookie%20pagenumber=%22');
      expect(next).toContain('%253ccookie%2520page%253d%2522');
      const token = new URL(next).searchParams.get('$skiptoken') ?? '';
      expect(token).toMatch(
        /^<cookie pagenumber="\d+" pagingcookie="%3ccookie%20page%3d%22\d+%22%3e%3ccontactid%20last%3d%22%7b[0-9A-F-]{36}%7d%22.*" istracking="False" \/>$/,
      );
      url = next;
    }
    expect(pages).toBe(7);
    expect(seen.size).toBe(200);
  });
  it('paging with $orderby and $filter keeps order across pages; $top is ignored with maxpagesize', async () => {
    const names: string[] = [];
    let url = `${t.api}/contacts?$select=lastname&$orderby=lastname desc&$filter=statecode eq 0&$top=3`;
    for (;;) {
      const body = (await (await t.call(url, { headers: { prefer: 'odata.maxpagesize=50' } })).json()) as Page;
      names.push(...body.value.map((c) => String(c.lastname).toLowerCase()));
      if (!body['@odata.nextLink']) break;
      url = body['@odata.nextLink'];
    }
    expect(names.length).toBe(192);
    expect([...names].sort().reverse()).toEqual(names);
  });
});

describe('annotations', () => {
  it('formatted values for choices, booleans, money, dates and lookups only when asked, before the property', async () => {
    const plain = await t.json<Page>('accounts?$select=statecode&$top=1');
    expect(Object.keys(plain.body.value[0] ?? {}).some((k) => k.includes('@OData'))).toBe(false);
    const res = await t.call('accounts?$select=statecode,creditonhold,revenue,createdon,_ownerid_value,numberofemployees&$top=1', {
      headers: { prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' },
    });
    expect(res.headers.get('preference-applied')).toBe('odata.include-annotations="OData.Community.Display.V1.FormattedValue"');
    const text = await res.text();
    expect(text.indexOf('statecode@OData.Community.Display.V1.FormattedValue')).toBeLessThan(text.indexOf('"statecode":'));
    const a = (JSON.parse(text) as Page).value[0] ?? {};
    expect(a['statecode@OData.Community.Display.V1.FormattedValue']).toBe('Active');
    expect(a['creditonhold@OData.Community.Display.V1.FormattedValue']).toMatch(/^(Yes|No)$/);
    expect(a['revenue@OData.Community.Display.V1.FormattedValue']).toMatch(/^\$[\d,]+\.\d{2}$/);
    expect(a['createdon@OData.Community.Display.V1.FormattedValue']).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2} (AM|PM)$/);
    expect(a['_ownerid_value@OData.Community.Display.V1.FormattedValue']).toMatch(/\S+ \S+/);
    expect(a['_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBeUndefined();
  });
  it('wildcard prefixes select annotation families', async () => {
    const r = await t.json<Page>(
      'contacts?$select=_parentcustomerid_value,new_preferredchannel&$top=5&$filter=new_preferredchannel ne null',
      { headers: { prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.*"' } },
    );
    const c = r.body.value[0] ?? {};
    expect(c['_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('account');
    expect(c['new_preferredchannel@OData.Community.Display.V1.FormattedValue']).toBeUndefined();
  });
});

describe('navigation collections', () => {
  it('GET a collection-valued navigation property, its /$count and /$ref; $expand of a collection', async () => {
    const acc = await t.json<Page>('accounts?$select=accountid&$top=1');
    const id = String(acc.body.value[0]?.accountid);
    const children = await t.json<Page>(`accounts(${id})/contact_customer_accounts?$select=fullname`);
    expect(children.status).toBe(200);
    expect(children.body.value.length).toBeGreaterThan(0);
    const count = await t.call(`accounts(${id})/contact_customer_accounts/$count`);
    expect((await count.text()).replace('\uFEFF', '')).toBe(String(children.body.value.length));
    const refs = await t.json<Page>(`accounts(${id})/contact_customer_accounts/$ref`);
    expect(refs.body['@odata.context']).toBe(`${t.api}/$metadata#Collection($ref)`);
    const expanded = await t.json<Row>(
      `accounts(${id})?$select=name&$expand=contact_customer_accounts($select=fullname;$orderby=fullname;$top=2)`,
    );
    expect((expanded.body.contact_customer_accounts as Row[]).length).toBe(Math.min(2, children.body.value.length));
  });
});
