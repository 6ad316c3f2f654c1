/**
 * A real client nobody here wrote — dynamics-web-api 2.5.0 — against the sandbox over HTTP:
 * CRUD, upsert, paging (retrieveAll), batch with a change set, change tracking, many-to-many
 * associate/disassociate. Its quirks: it calls
 * onTokenRefresh before every request (we cache the token), sends `WhoAmI()`, and honours http_proxy
 * without NO_PROXY (we unset it). serverUrl needs a trailing slash to keep the /sandbox path (WHATWG
 * URL resolution drops the last path segment of a base without one).
 */
import { DynamicsWebApi } from 'dynamics-web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { passwordToken, setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox();
let dwa: DynamicsWebApi;
let tokenCalls = 0;
let tokenRequests = 0;

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  let cached: { token: string; exp: number } | null = null;
  dwa = new DynamicsWebApi({
    serverUrl: `${t.service}/`,
    dataApi: { version: '9.2' },
    onTokenRefresh: async () => {
      tokenCalls++;
      if (!cached || cached.exp < Date.now() + 60_000) {
        tokenRequests++;
        const r = await passwordToken(t.service);
        cached = { token: r.access_token, exp: Date.now() + Number(r.expires_in) * 1000 };
      }
      return cached.token;
    },
  });
});

type Contact = { contactid?: string; firstname?: string; lastname?: string; fullname?: string; jobtitle?: string | null };

describe('dynamics-web-api against the sandbox', () => {
  it('WhoAmI via callFunction', async () => {
    const who = (await dwa.callFunction('WhoAmI')) as { UserId: string };
    expect(who.UserId).toBe('1b2c3d4e-0003-4a00-8000-000000000001');
    const log = (await (await t.hook('requests?path=WhoAmI')).json()) as { value: Array<{ path: string }> };
    expect(log.value.at(-1)?.path).toBe('/api/data/v9.2/WhoAmI()');
  });
  it('CRUD: create returns the id from OData-EntityId, retrieve, update (If-Match: *), delete', async () => {
    const id = (await dwa.create<Contact>({ collection: 'contacts', data: { firstname: 'Dwa', lastname: 'Client' } })) as unknown as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const got = await dwa.retrieve<Contact>({ collection: 'contacts', key: id, select: ['fullname', 'jobtitle'] });
    expect(got.fullname).toBe('Dwa Client');
    const updated = await dwa.update<Contact>({ collection: 'contacts', key: id, data: { jobtitle: 'Tester' } });
    expect(updated).toBe(true);
    const log = (await (await t.hook(`requests?path=contacts(${id})&method=PATCH`)).json()) as {
      value: Array<{ headers: Record<string, string> }>;
    };
    expect(log.value.at(-1)?.headers['if-match']).toBe('*');
    expect((await dwa.retrieve<Contact>({ collection: 'contacts', key: id, select: ['jobtitle'] })).jobtitle).toBe('Tester');
    await dwa.deleteRecord({ collection: 'contacts', key: id });
    const missing = await dwa
      .update<Contact>({ collection: 'contacts', key: '00000000-0000-0000-0000-0000000000ff', data: { jobtitle: 'x' } })
      .catch((e: { status?: number }) => e.status);
    expect(missing).toBe(404);
    await expect(dwa.retrieve({ collection: 'contacts', key: id })).rejects.toMatchObject({ status: 404 });
    expect(tokenRequests).toBe(1);
    expect(tokenCalls).toBeGreaterThan(5);
  });
  it('create with returnRepresentation and formatted-value annotations mapped by the client', async () => {
    const rec = (await dwa.create({
      collection: 'accounts',
      data: { name: 'Rep', accountcategorycode: 1 },
      returnRepresentation: true,
      select: ['name', 'accountcategorycode', 'createdon'],
      includeAnnotations: 'OData.Community.Display.V1.FormattedValue',
    })) as Record<string, unknown>;
    expect(rec.name).toBe('Rep');
    expect(rec.accountcategorycode_Formatted).toBe('Preferred Customer');
    expect(rec.createdon).toBeInstanceOf(Date);
  });
  it('upsert creates then updates; ifnonematch on an existing record yields null', async () => {
    const key = '0d0d0d0d-1111-4222-8333-444444444444';
    await dwa.upsert({ collection: 'accounts', key, data: { name: 'Up 1' } });
    await dwa.upsert({ collection: 'accounts', key, data: { name: 'Up 2' } });
    expect((await dwa.retrieve<{ name: string }>({ collection: 'accounts', key, select: ['name'] })).name).toBe('Up 2');
    const none = await dwa.upsert({ collection: 'accounts', key, data: { name: 'Up 3' }, ifnonematch: '*' });
    expect(none).toBeNull();
    // Upsert by alternate key echoes the key form in OData-EntityId (as Dataverse does), so the client
    // has no GUID to return; the record is there.
    await dwa.upsert({ collection: 'accounts', key: "accountnumber='DWA-1'", data: { name: 'Alt' } });
    expect((await dwa.retrieve<{ name: string }>({ collection: 'accounts', key: "accountnumber='DWA-1'", select: ['name'] })).name).toBe(
      'Alt',
    );
  });
  it('retrieveAll follows @odata.nextLink across pages', async () => {
    const all = await dwa.retrieveAll<Contact>({ collection: 'contacts', select: ['fullname'], maxPageSize: 33, filter: 'statecode eq 0' });
    expect(all.value).toHaveLength(192);
    expect(new Set(all.value.map((c) => c.contactid)).size).toBe(192);
    const log = (await (await t.hook('requests?path=$skiptoken')).json()) as { value: Array<{ headers: Record<string, string> }> };
    expect(log.value.length).toBe(5);
    expect(log.value[0]?.headers.prefer).toContain('odata.maxpagesize=33');
  });
  it('batch with a change set and a Content-ID reference, plus a GET', async () => {
    dwa.startBatch();
    dwa.create({ collection: 'contacts', data: { firstname: 'John', lastname: 'Batch' }, contentId: '1' });
    dwa.create({ collection: 'salesorders', data: { name: '1 year membership', 'customerid_contact@odata.bind': '$1' } });
    dwa.retrieveMultiple({ collection: 'accounts', select: ['name'], top: 2 });
    const responses = await dwa.executeBatch();
    expect(responses).toHaveLength(3);
    expect(responses[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(responses[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect((responses[2] as { value: unknown[] }).value).toHaveLength(2);
    const order = await dwa.retrieve<{ _customerid_value: string }>({
      collection: 'salesorders',
      key: String(responses[1]),
      select: ['_customerid_value'],
    });
    expect(order._customerid_value).toBe(responses[0]);
  });
  it('a failing change set rejects and rolls back', async () => {
    dwa.startBatch();
    dwa.create({ collection: 'contacts', data: { lastname: 'Never' } });
    dwa.create({ collection: 'contacts', data: { LastName: 'Bad' } });
    await expect(dwa.executeBatch()).rejects.toBeTruthy();
    const n = await dwa.count({ collection: 'contacts', filter: "lastname eq 'Never'" });
    expect(n).toBe(0);
  });
  it('change tracking: trackChanges returns a deltaLink; polling it returns changes and deletions', async () => {
    const initial = await dwa.retrieveAll<{ leadid: string }>({
      collection: 'leads',
      select: ['subject'],
      trackChanges: true,
      maxPageSize: 25,
    });
    expect(initial.value).toHaveLength(40);
    const deltaLink = initial.oDataDeltaLink ?? '';
    expect(deltaLink).toContain('$deltatoken=');
    await dwa.update({ collection: 'leads', key: String(initial.value[0]?.leadid), data: { subject: 'Changed by DWA' } });
    await dwa.deleteRecord({ collection: 'leads', key: String(initial.value[1]?.leadid) });
    const changes = await dwa.retrieveMultiple<Record<string, unknown>>({ collection: 'leads' }, deltaLink);
    expect(changes.value.find((r) => r.leadid === initial.value[0]?.leadid)?.subject).toBe('Changed by DWA');
    expect(changes.value.find((r) => r.reason === 'deleted')?.id).toBe(initial.value[1]?.leadid);
    expect(changes.oDataDeltaLink).toContain('$deltatoken=');
  });
});

describe('dynamics-web-api FetchXML against the sandbox (Learn: fetchxml/page-results, fetchxml/join-tables)', () => {
  const contactsXml = `<fetch count="7"><entity name="contact"><attribute name="fullname"/><order attribute="fullname"/></entity></fetch>`;
  it('fetch: a page with PagingInfo from the paging cookie, then the next page through it', async () => {
    const first = await dwa.fetch<Contact>({
      collection: 'contacts',
      fetchXml: contactsXml,
      includeAnnotations: 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords',
    });
    expect(first.value).toHaveLength(7);
    expect(first.PagingInfo?.nextPage).toBe(2);
    expect(first.PagingInfo?.cookie).toMatch(/^&lt;cookie page=&quot;1&quot;&gt;&lt;fullname last=&quot;/);
    const second = await dwa.fetch<Contact>({
      collection: 'contacts',
      fetchXml: contactsXml,
      includeAnnotations: 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords',
      pageNumber: first.PagingInfo?.nextPage,
      pagingCookie: first.PagingInfo?.cookie,
    });
    expect(second.value).toHaveLength(7);
    const names = [...first.value, ...second.value].map((c) => String(c.fullname).toLowerCase());
    expect(names).toEqual([...names].sort());
    expect(new Set([...first.value, ...second.value].map((c) => c.contactid)).size).toBe(14);
    const log = (await (await t.hook('requests?path=contacts')).json()) as { value: Array<{ query?: string; path: string }> };
    expect(JSON.stringify(log.value.at(-1))).toContain('paging-cookie');
  });
  it('fetchAll walks every page through the cookies and returns each row once', async () => {
    const all = await dwa.fetchAll<Contact>({
      collection: 'contacts',
      fetchXml: contactsXml,
      includeAnnotations: 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie',
    });
    const total = await dwa.count({ collection: 'contacts' });
    expect(all.value).toHaveLength(total);
    expect(new Set(all.value.map((c) => c.contactid)).size).toBe(total);
  });
  it('linked columns, formatted values and an aggregate come back through the library', async () => {
    const linked = await dwa.fetch<Record<string, unknown>>({
      collection: 'contacts',
      fetchXml: `<fetch top="5"><entity name="contact"><attribute name="fullname"/><link-entity name="account" from="accountid" to="parentcustomerid" alias="acc"><attribute name="industrycode"/></link-entity></entity></fetch>`,
      includeAnnotations: 'OData.Community.Display.V1.FormattedValue',
    });
    expect(linked.value).toHaveLength(5);
    const withIndustry = linked.value.find((r) => r['acc.industrycode'] !== undefined);
    expect(typeof withIndustry?.['acc.industrycode@OData.Community.Display.V1.FormattedValue']).toBe('string');
    const counted = await dwa.fetch<{ n: number }>({
      collection: 'accounts',
      fetchXml: `<fetch aggregate="true"><entity name="account"><attribute name="accountid" alias="n" aggregate="count"/></entity></fetch>`,
    });
    expect(counted.value[0]?.n).toBe(await dwa.count({ collection: 'accounts' }));
  });
  it('a Dataverse error from a bad query rejects with its status and code', async () => {
    const e = (await dwa
      .fetch({ collection: 'accounts', fetchXml: `<fetch><entity name="account"><attribute name="nosuch"/></entity></fetch>` })
      .catch((x: unknown) => x)) as { status?: number; code?: string };
    expect(e.status).toBe(400);
    expect(e.code).toBe('0x80041103');
  });
});

describe('dynamics-web-api: many-to-many through the library', () => {
  type Lead = { leadid?: string; accountleads_association?: Array<{ accountid: string }> };
  it('associate (POST <nav>/$ref), read back by $expand, then disassociate (DELETE <nav>(<id>)/$ref)', async () => {
    const [account] = (await dwa.retrieveMultiple<{ accountid: string }>({ collection: 'accounts', select: ['accountid'], top: 1 })).value;
    const [lead] = (await dwa.retrieveMultiple<{ leadid: string }>({ collection: 'leads', select: ['leadid'], top: 1 })).value;
    const accountId = String(account?.accountid);
    const leadId = String(lead?.leadid);
    await dwa.associate({
      collection: 'leads',
      primaryKey: leadId,
      relationshipName: 'accountleads_association',
      relatedCollection: 'accounts',
      relatedKey: accountId,
    });
    const related = async (): Promise<string[]> =>
      (
        await dwa.retrieve<Lead>({
          collection: 'leads',
          key: leadId,
          select: ['leadid'],
          expand: [{ property: 'accountleads_association', select: ['accountid'] }],
        })
      ).accountleads_association?.map((a) => a.accountid) ?? [];
    expect(await related()).toEqual([accountId]);
    const again = (await dwa
      .associate({
        collection: 'leads',
        primaryKey: leadId,
        relationshipName: 'accountleads_association',
        relatedCollection: 'accounts',
        relatedKey: accountId,
      })
      .catch((e: unknown) => e)) as { status?: number; code?: string };
    expect(again).toMatchObject({ status: 412, code: '0x80040237' });
    await dwa.disassociate({
      collection: 'leads',
      primaryKey: leadId,
      relationshipName: 'accountleads_association',
      relatedKey: accountId,
    });
    expect(await related()).toEqual([]);
    const log = (await (await t.hook('requests?path=accountleads_association')).json()) as {
      value: Array<{ method: string; path: string }>;
    };
    expect(log.value.map((r) => r.method)).toEqual(expect.arrayContaining(['POST', 'DELETE']));
    expect(log.value.find((r) => r.method === 'DELETE')?.path).toBe(
      `/api/data/v9.2/leads(${leadId})/accountleads_association(${accountId})/$ref`,
    );
  });
});
