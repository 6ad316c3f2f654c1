/**
 * Conformance: `GET <entityset>?fetchXml=…` — columns, filters, joins, order, aggregates, paging
 * with the paging cookie, counts, formatted values and the documented errors, over real HTTP. Each
 * block names the Learn section it follows; results are checked against the same data read through
 * the sandbox's OData path where one exists.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/overview
 */
import { describe, expect, it } from 'vitest';
import { jsonBody, setupTestSandbox } from '../../../../test/support/sandbox';

const t = setupTestSandbox();

type Row = Record<string, unknown>;
type Page = { value: Row[] } & Row;
type Err = { error: { code: string; message: string } };
const ALL = { prefer: 'odata.include-annotations="*"' };
const PAGING = { prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords"' };

async function fetchXml<T = Page>(set: string, xml: string, headers: Record<string, string> = {}, extra = '') {
  return t.json<T>(`${set}?fetchXml=${encodeURIComponent(xml)}${extra}`, { headers });
}

/** The next page's paging-cookie attribute value from the annotation, as Learn's steps describe: decode twice, XML-encode. */
function nextCookie(annotation: string): string {
  const inner = /pagingcookie="([^"]+)"/.exec(annotation)?.[1] ?? '';
  return decodeURIComponent(decodeURIComponent(inner))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

describe('select columns (Learn: fetchxml/select-columns)', () => {
  it('returns the listed columns, the primary key, lookups as _x_value and leaves null columns out', async () => {
    const r = await fetchXml(
      'contacts',
      `<fetch top='50'><entity name='contact'><attribute name='fullname'/><attribute name='mobilephone'/><attribute name='parentcustomerid'/></entity></fetch>`,
    );
    expect(r.status).toBe(200);
    expect(r.body['@odata.context']).toMatch(/\$metadata#contacts$/);
    expect(r.body.value.length).toBe(50);
    for (const c of r.body.value) {
      expect(c['@odata.etag']).toMatch(/^W\/"\d+"$/);
      expect(typeof c.contactid).toBe('string');
      for (const k of Object.keys(c))
        expect(['@odata.etag', 'contactid', 'fullname', 'mobilephone', '_parentcustomerid_value']).toContain(k);
    }
    // Some seeded contacts have no mobile phone: FetchXML results omit the column rather than send null.
    expect(r.body.value.some((c) => !('mobilephone' in c))).toBe(true);
    expect(r.body.value.every((c) => c.mobilephone !== null)).toBe(true);
  });
  it('alias renames a column; all-attributes (or no attribute) returns every column', async () => {
    const r = await fetchXml(
      'accounts',
      `<fetch top='3'><entity name='account'><attribute name='name' alias='accountname'/></entity></fetch>`,
    );
    expect(r.body.value[0]).toHaveProperty('accountname');
    expect(r.body.value[0]).not.toHaveProperty('name');
    const all = await fetchXml('accounts', `<fetch top='1'><entity name='account'><all-attributes/></entity></fetch>`);
    expect(Object.keys(all.body.value[0] as Row)).toEqual(expect.arrayContaining(['name', 'accountid', 'createdon', 'statecode']));
  });
  it('formatted values only when odata.include-annotations asks (Learn: webapi/query-data-web-api#formatted-values)', async () => {
    const xml = `<fetch top='5'><entity name='account'><attribute name='industrycode'/><attribute name='revenue'/><filter><condition attribute='industrycode' operator='not-null'/><condition attribute='revenue' operator='not-null'/></filter></entity></fetch>`;
    const plain = await fetchXml('accounts', xml);
    expect(Object.keys(plain.body.value[0] as Row).some((k) => k.includes('FormattedValue'))).toBe(false);
    const annotated = await fetchXml('accounts', xml, ALL);
    const a = annotated.body.value[0] as Row;
    expect(typeof a['industrycode@OData.Community.Display.V1.FormattedValue']).toBe('string');
    expect(a['revenue@OData.Community.Display.V1.FormattedValue']).toMatch(/^\$[\d,]+\.\d\d$/);
    expect(annotated.headers.get('preference-applied')).toBe('odata.include-annotations="*"');
  });
});

describe('filter rows (Learn: fetchxml/filter-rows, fetchxml/reference/operators)', () => {
  it('nested and/or filters match the same rows as the equivalent $filter', async () => {
    const xml = `<fetch><entity name='account'><attribute name='accountid'/><filter type='or'><filter type='and'><condition attribute='numberofemployees' operator='gt' value='1000'/><condition attribute='accountcategorycode' operator='eq' value='1'/></filter><condition attribute='numberofemployees' operator='lt' value='10'/></filter></entity></fetch>`;
    const f = await fetchXml('accounts', xml);
    const o = await t.json<Page>(
      `accounts?$select=accountid&$filter=${encodeURIComponent('(numberofemployees gt 1000 and accountcategorycode eq 1) or numberofemployees lt 10')}`,
    );
    expect(f.body.value.length).toBeGreaterThan(0);
    expect(f.body.value.map((r) => r.accountid).sort()).toEqual(o.body.value.map((r) => r.accountid).sort());
  });
  it('like, begins-with, ends-with, not-like are case-insensitive wildcards', async () => {
    const like = await fetchXml(
      'accounts',
      `<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='like' value='%SAMPLE%'/></filter></entity></fetch>`,
    );
    expect(like.body.value.length).toBeGreaterThan(0);
    for (const a of like.body.value) expect(String(a.name).toLowerCase()).toContain('sample');
    const begins = await fetchXml(
      'contacts',
      `<fetch><entity name='contact'><attribute name='lastname'/><filter><condition attribute='lastname' operator='begins-with' value='and'/></filter></entity></fetch>`,
    );
    const odata = await t.json<Page>(`contacts?$select=lastname&$filter=${encodeURIComponent("startswith(lastname,'and')")}`);
    expect(begins.body.value.length).toBe(odata.body.value.length);
    const ends = await fetchXml(
      'accounts',
      `<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='ends-with' value='(sample)'/></filter></entity></fetch>`,
    );
    for (const a of ends.body.value) expect(String(a.name)).toMatch(/\(sample\)$/);
    const notLike = await fetchXml(
      'accounts',
      `<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='not-like' value='%(sample)'/></filter></entity></fetch>`,
    );
    for (const a of notLike.body.value) expect(String(a.name)).not.toMatch(/\(sample\)$/);
  });
  it('in / not-in with <value> children, between, null and not-null', async () => {
    const inRes = await fetchXml(
      'contacts',
      `<fetch><entity name='contact'><attribute name='lastname'/><filter><condition attribute='lastname' operator='in'><value>Vance</value><value>O'Brian</value></condition></filter></entity></fetch>`,
    );
    expect(inRes.body.value.length).toBeGreaterThan(0);
    for (const c of inRes.body.value) expect(['Vance', "O'Brian"]).toContain(c.lastname);
    const between = await fetchXml(
      'accounts',
      `<fetch><entity name='account'><attribute name='numberofemployees'/><filter><condition attribute='numberofemployees' operator='between'><value>5</value><value>2000</value></condition></filter></entity></fetch>`,
    );
    expect(between.body.value.length).toBeGreaterThan(0);
    for (const a of between.body.value) expect(Number(a.numberofemployees)).toBeGreaterThanOrEqual(5);
    for (const a of between.body.value) expect(Number(a.numberofemployees)).toBeLessThanOrEqual(2000);
    const nulls = await fetchXml(
      'contacts',
      `<fetch><entity name='contact'><attribute name='mobilephone'/><filter><condition attribute='mobilephone' operator='null'/></filter></entity></fetch>`,
    );
    const odataNulls = await t.json<Page>('contacts?$select=contactid&$filter=mobilephone eq null');
    expect(nulls.body.value.length).toBe(odataNulls.body.value.length);
  });
  it('date operators (last-x-days, on-or-after, this-month) and eq-userid behave as the Web API query functions', async () => {
    const created = await t.json<Row>('contacts', {
      method: 'POST',
      ...jsonBody({ lastname: 'FetchDated' }),
      headers: { prefer: 'return=representation' },
    });
    const id = String(created.body.contactid);
    const lastX = await fetchXml(
      'contacts',
      `<fetch><entity name='contact'><attribute name='contactid'/><filter><condition attribute='createdon' operator='last-x-days' value='1'/></filter></entity></fetch>`,
    );
    expect(lastX.body.value.map((r) => r.contactid)).toContain(id);
    const odata = await t.json<Page>(
      `contacts?$select=contactid&$filter=${encodeURIComponent("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=1)")}`,
    );
    expect(lastX.body.value.length).toBe(odata.body.value.length);
    const today = new Date().toISOString().slice(0, 10);
    const after = await fetchXml(
      'contacts',
      `<fetch><entity name='contact'><attribute name='contactid'/><filter><condition attribute='createdon' operator='on-or-after' value='${today}'/><condition attribute='createdon' operator='this-month'/></filter></entity></fetch>`,
    );
    expect(after.body.value.map((r) => r.contactid)).toContain(id);
    const mine = await fetchXml(
      'contacts',
      `<fetch><entity name='contact'><attribute name='contactid'/><filter><condition attribute='ownerid' operator='eq-userid'/></filter></entity></fetch>`,
    );
    expect(mine.body.value.map((r) => r.contactid)).toContain(id);
  });
});

describe('join tables (Learn: fetchxml/join-tables)', () => {
  it('an inner many-to-one link returns the linked columns as alias.column and drops unmatched rows', async () => {
    const r = await fetchXml(
      'contacts',
      `<fetch><entity name='contact'><attribute name='fullname'/><link-entity name='account' from='accountid' to='parentcustomerid' link-type='inner' alias='acc'><attribute name='name'/><filter><condition attribute='name' operator='begins-with' value='Fab'/></filter></link-entity></entity></fetch>`,
      ALL,
    );
    expect(r.body.value.length).toBeGreaterThan(0);
    for (const c of r.body.value) expect(String(c['acc.name'])).toMatch(/^Fab/);
    const odata = await t.json<Page>(
      `contacts?$select=fullname&$filter=${encodeURIComponent("startswith(parentcustomerid_account/name,'Fab')")}`,
    );
    expect(r.body.value.length).toBe(odata.body.value.length);
  });
  it('an outer link keeps unmatched rows; a filter condition with entityname reads the linked row', async () => {
    const xml = (filter: string) =>
      `<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='contactid' to='primarycontactid' link-type='outer' alias='pc'><attribute name='fullname'/></link-entity>${filter}</entity></fetch>`;
    const all = await fetchXml('accounts', xml(''));
    const count = await t.json<Page>('accounts?$select=accountid');
    expect(all.body.value.length).toBe(count.body.value.length);
    const none = await fetchXml('accounts', xml(`<filter><condition entityname='pc' attribute='contactid' operator='null'/></filter>`));
    const odataNone = await t.json<Page>('accounts?$select=accountid&$filter=_primarycontactid_value eq null');
    expect(none.body.value.length).toBe(odataNone.body.value.length);
    for (const a of none.body.value) expect(a).not.toHaveProperty('pc.fullname');
  });
  it('a one-to-many link yields a row per child; nested links and unaliased links (table.column)', async () => {
    const r = await fetchXml(
      'accounts',
      `<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='begins-with' value='Fab'/></filter><link-entity name='contact' from='parentcustomerid' to='accountid'><attribute name='fullname'/><link-entity name='systemuser' from='systemuserid' to='ownerid' alias='owner'><attribute name='fullname'/></link-entity></link-entity></entity></fetch>`,
    );
    const children = await t.json<Page>(
      `contacts?$select=contactid&$filter=${encodeURIComponent("startswith(parentcustomerid_account/name,'Fab')")}`,
    );
    expect(r.body.value.length).toBe(children.body.value.length);
    for (const row of r.body.value) {
      expect(typeof row['contact.fullname']).toBe('string');
      expect(typeof row['owner.fullname']).toBe('string');
    }
  });
});

describe('order rows (Learn: fetchxml/order-rows)', () => {
  it('orders by several columns, descending; choice columns sort by label', async () => {
    const r = await fetchXml(
      'accounts',
      `<fetch><entity name='account'><attribute name='industrycode'/><attribute name='name'/><filter><condition attribute='industrycode' operator='not-null'/></filter><order attribute='industrycode'/><order attribute='name' descending='true'/></entity></fetch>`,
      ALL,
    );
    const labels = r.body.value.map((a) => String(a['industrycode@OData.Community.Display.V1.FormattedValue']).toLowerCase());
    expect(labels).toEqual([...labels].sort());
    for (let i = 1; i < r.body.value.length; i++) {
      if (labels[i] === labels[i - 1])
        expect(String(r.body.value[i - 1]?.name).toLowerCase() >= String(r.body.value[i]?.name).toLowerCase()).toBe(true);
    }
  });
});

describe('aggregate data (Learn: fetchxml/aggregate-data)', () => {
  it('count, countcolumn, sum, avg, min, max grouped by a column and ordered by alias agree with the rows', async () => {
    const r = await fetchXml(
      'accounts',
      `<fetch aggregate='true'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/><attribute name='numberofemployees' alias='withstaff' aggregate='countcolumn'/><attribute name='numberofemployees' alias='total' aggregate='sum'/><attribute name='numberofemployees' alias='average' aggregate='avg'/><attribute name='numberofemployees' alias='least' aggregate='min'/><attribute name='numberofemployees' alias='most' aggregate='max'/><attribute name='address1_city' alias='city' groupby='true'/><order alias='city'/></entity></fetch>`,
    );
    expect(r.status).toBe(200);
    const rows = (await t.json<Page>('accounts?$select=address1_city,numberofemployees')).body.value;
    const cities = r.body.value.map((g) => (g.city as string | undefined) ?? null);
    expect(cities.filter((c) => c !== null)).toEqual(
      [...cities.filter((c) => c !== null)].sort((a, b) => (String(a).toLowerCase() < String(b).toLowerCase() ? -1 : 1)),
    );
    for (const g of r.body.value) {
      const members = rows.filter((a) => (a.address1_city ?? null) === (g.city ?? null));
      const staff = members.map((a) => a.numberofemployees).filter((n): n is number => typeof n === 'number');
      expect(g.n).toBe(members.length);
      expect(g.withstaff).toBe(staff.length);
      expect(g.total).toBe(staff.reduce((a, b) => a + b, 0));
      if (staff.length) {
        expect(g.average).toBeCloseTo(staff.reduce((a, b) => a + b, 0) / staff.length, 6);
        expect(g.least).toBe(Math.min(...staff));
        expect(g.most).toBe(Math.max(...staff));
      }
    }
  });
  it('groupby with dategrouping year/month and a linked table; aliases are required', async () => {
    const r = await fetchXml(
      'accounts',
      `<fetch aggregate='true'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/><attribute name='createdon' alias='y' groupby='true' dategrouping='year'/><attribute name='createdon' alias='m' groupby='true' dategrouping='month'/><order alias='y'/><order alias='m'/></entity></fetch>`,
    );
    const total = (await t.json<Page>('accounts?$select=accountid')).body.value.length;
    expect(r.body.value.reduce((s, g) => s + Number(g.n), 0)).toBe(total);
    for (const g of r.body.value) expect(Number(g.m)).toBeGreaterThanOrEqual(1);
    const linked = await fetchXml(
      'contacts',
      `<fetch aggregate='true'><entity name='contact'><attribute name='contactid' alias='n' aggregate='count'/><link-entity name='account' from='accountid' to='parentcustomerid' alias='acc'><attribute name='industrycode' alias='industry' groupby='true'/></link-entity><order alias='n' descending='true'/></entity></fetch>`,
      ALL,
    );
    expect(linked.body.value.length).toBeGreaterThan(1);
    expect(Number(linked.body.value[0]?.n)).toBeGreaterThanOrEqual(Number(linked.body.value[1]?.n));
    expect(typeof linked.body.value.find((g) => g.industry !== undefined)?.['industry@OData.Community.Display.V1.FormattedValue']).toBe(
      'string',
    );
    const noAlias = await fetchXml<Err>(
      'accounts',
      `<fetch aggregate='true'><entity name='account'><attribute name='accountid' aggregate='count'/></entity></fetch>`,
    );
    expect(noAlias.status).toBe(400);
    expect(noAlias.body.error.code).toBe('0x8004110B');
  });
  it('more rows than the aggregate limit is AggregateQueryRecordLimit exceeded (Learn: aggregate-data#limitations)', async () => {
    const r = await fetchXml<Err>(
      'accounts',
      `<fetch aggregate='true' aggregatelimit='3'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/></entity></fetch>`,
    );
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: '0x8004E023', message: 'AggregateQueryRecordLimit exceeded. Cannot perform this operation.' });
    const bulk = await t.hook('bulk', { method: 'POST', ...jsonBody({ table: 'contact', count: 50_001 }) });
    expect(bulk.status).toBeLessThan(300);
    const big = await fetchXml<Err>(
      'contacts',
      `<fetch aggregate='true'><entity name='contact'><attribute name='contactid' alias='n' aggregate='count'/></entity></fetch>`,
    );
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('0x8004E023');
  });
});

describe('page results (Learn: fetchxml/page-results)', () => {
  it('count + page with the paging cookie walks every row once, in order; the last page has no cookie', async () => {
    const base = (page: number, cookie: string | null) =>
      `<fetch count='7' page='${page}'${cookie ? ` paging-cookie='${cookie}'` : ''}><entity name='contact'><attribute name='fullname'/><order attribute='fullname' descending='true'/></entity></fetch>`;
    const all = await fetchXml(
      'contacts',
      `<fetch><entity name='contact'><attribute name='fullname'/><order attribute='fullname' descending='true'/></entity></fetch>`,
    );
    const seen: unknown[] = [];
    let cookie: string | null = null;
    for (let page = 1; page < 100; page++) {
      const r = await fetchXml('contacts', base(page, cookie), PAGING);
      expect(r.status).toBe(200);
      seen.push(...r.body.value.map((c) => c.contactid));
      const more = r.body['@Microsoft.Dynamics.CRM.morerecords'];
      const ann = r.body['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie'] as string | undefined;
      if (!more) {
        expect(ann).toBeUndefined();
        break;
      }
      expect(ann).toMatch(
        new RegExp(
          `^<cookie pagenumber="${page + 1}" pagingcookie="%253ccookie%2520page%253d%2522${page}%2522%253e.*" istracking="False" />$`,
        ),
      );
      cookie = nextCookie(ann as string);
      expect(cookie).toMatch(
        /^&lt;cookie page=&quot;\d+&quot;&gt;&lt;fullname last=&quot;.*&lt;contactid last=&quot;\{[0-9A-F-]{36}\}&quot;/,
      );
    }
    expect(seen).toEqual(all.body.value.map((c) => c.contactid));
  });
  it('simple paging (no cookie) gives the same pages; annotations only when asked for', async () => {
    const xml = (page: number) =>
      `<fetch count='5' page='${page}'><entity name='account'><attribute name='name'/><order attribute='name'/></entity></fetch>`;
    const p1 = await fetchXml('accounts', xml(1));
    expect(p1.body).not.toHaveProperty('@Microsoft.Dynamics.CRM.morerecords');
    expect(p1.body).not.toHaveProperty('@Microsoft.Dynamics.CRM.fetchxmlpagingcookie');
    const p2 = await fetchXml('accounts', xml(2));
    const all = await fetchXml(
      'accounts',
      `<fetch count='10'><entity name='account'><attribute name='name'/><order attribute='name'/></entity></fetch>`,
    );
    expect([...p1.body.value, ...p2.body.value].map((a) => a.accountid)).toEqual(all.body.value.map((a) => a.accountid));
  });
  it('a row inserted before the cookie position does not repeat rows on the next page', async () => {
    const xml = (page: number, cookie: string | null) =>
      `<fetch count='4' page='${page}'${cookie ? ` paging-cookie='${cookie}'` : ''}><entity name='contact'><attribute name='fullname'/></entity></fetch>`;
    const p1 = await fetchXml('contacts', xml(1, null), PAGING);
    const cookie = nextCookie(String(p1.body['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie']));
    await t.json('contacts', { method: 'POST', ...jsonBody({ contactid: '00000000-0000-0000-0000-000000000001', lastname: 'First' }) });
    const p2 = await fetchXml('contacts', xml(2, cookie), PAGING);
    const ids1 = p1.body.value.map((c) => c.contactid);
    for (const c of p2.body.value) expect(ids1).not.toContain(c.contactid);
  });
});

describe('count rows (Learn: fetchxml/count-rows)', () => {
  it('returntotalrecordcount is $count=true: @odata.count, and the total annotations when asked for', async () => {
    const total = (await t.json<Page>('accounts?$select=accountid')).body.value.length;
    const xml = (extra: string) => `<fetch count='2'${extra}><entity name='account'><attribute name='name'/></entity></fetch>`;
    const totals = {
      prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"',
    };
    const r = await fetchXml('accounts', xml(" returntotalrecordcount='true'"), totals);
    expect(r.body['@odata.count']).toBe(total);
    expect(r.body['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(total);
    expect(r.body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded']).toBe(false);
    expect(r.body.value.length).toBe(2);
    const viaCount = await fetchXml('accounts', xml(''), {}, '&$count=true');
    expect(viaCount.body['@odata.count']).toBe(total);
    const none = await fetchXml('accounts', xml(''), totals);
    expect(none.body).not.toHaveProperty('@odata.count');
    expect(none.body['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(-1);
    const withTop = await fetchXml<Err>('accounts', `<fetch top='2' returntotalrecordcount='true'><entity name='account'/></fetch>`);
    expect(withTop.status).toBe(400);
  });
  it('distinct removes duplicate rows (and leaves the primary key out)', async () => {
    const xml = `<fetch distinct='true'><entity name='account'><attribute name='address1_city'/><order attribute='address1_city'/></entity></fetch>`;
    const r = await fetchXml('accounts', xml);
    const all = (await t.json<Page>('accounts?$select=address1_city')).body.value;
    const cities = r.body.value.map((a) => (a.address1_city as string | undefined) ?? null);
    expect(new Set(cities).size).toBe(cities.length);
    expect(new Set(cities)).toEqual(new Set(all.map((a) => (a.address1_city as string | null) ?? null)));
    expect(cities.length).toBeLessThan(all.length);
    for (const a of r.body.value) expect(a).not.toHaveProperty('accountid');
  });
});

describe('errors (Learn: reference/web-service-error-codes)', () => {
  it('malformed XML, DTDs and undeclared entities are refused before anything runs', async () => {
    for (const xml of [
      `<fetch><entity name='account'>`,
      `<!DOCTYPE fetch [<!ENTITY x "y">]><fetch><entity name='account'/></fetch>`,
      `<fetch><entity name='&x;'/></fetch>`,
      `<fetch><entity name='account'></fetch></entity>`,
    ]) {
      const r = await fetchXml<Err>('accounts', xml);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('0x80040203');
      expect(r.body.error.message).toMatch(/^Invalid XML\./);
    }
  });
  it('unknown entity, unknown attribute, entity not the entity set table, unknown operator', async () => {
    const entity = await fetchXml<Err>('accounts', `<fetch><entity name='nosuch'/></fetch>`);
    expect(entity.body.error).toEqual({
      code: '0x80041102',
      message: "The entity with a name = 'nosuch' with namemapping = 'Logical' was not found in the MetadataCache.",
    });
    const link = await fetchXml<Err>(
      'accounts',
      `<fetch><entity name='account'><link-entity name='nosuch' from='a' to='accountid'/></entity></fetch>`,
    );
    expect(link.body.error.code).toBe('0x80041102');
    const attr = await fetchXml<Err>(
      'accounts',
      `<fetch><entity name='account'><filter><condition attribute='Name' operator='eq' value='x'/></filter></entity></fetch>`,
    );
    expect(attr.body.error).toEqual({
      code: '0x80041103',
      message: "'account' entity doesn't contain attribute with Name = 'Name' and NameMapping = 'Logical'.",
    });
    const mismatch = await fetchXml<Err>('accounts', `<fetch><entity name='contact'/></fetch>`);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe('0x80041128');
    const op = await fetchXml<Err>(
      'accounts',
      `<fetch><entity name='account'><filter><condition attribute='name' operator='sounds-like' value='x'/></filter></entity></fetch>`,
    );
    expect(op.body.error.code).toBe('0x80041120');
    const fiscal = await fetchXml<Err>(
      'accounts',
      `<fetch><entity name='account'><filter><condition attribute='createdon' operator='this-fiscal-year'/></filter></entity></fetch>`,
    );
    expect(fiscal.status).toBe(400);
    const conversion = await fetchXml<Err>(
      'accounts',
      `<fetch><entity name='account'><filter><condition attribute='numberofemployees' operator='eq' value='many'/></filter></entity></fetch>`,
    );
    expect(conversion.body.error.message).toContain("convert input value 'many' to attribute 'account.numberofemployees'");
  });
  it('fetchXml with other system query options is refused; $count is accepted as Learn sends it', async () => {
    const xml = `<fetch top='1'><entity name='account'><attribute name='name'/></entity></fetch>`;
    const r = await fetchXml<Err>('accounts', xml, {}, '&$select=name');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('0x80060888');
    expect((await fetchXml('accounts', xml, {}, '&$count=true')).status).toBe(200);
  });
});
