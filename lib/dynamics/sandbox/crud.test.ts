/**
 * Conformance: create / retrieve / update / upsert / delete, lookups and concurrency: absolute
 * URLs on the request's own base, `@odata.bind` lookups, ETags and If-Match/If-None-Match, system
 * column defaults, and Dataverse's JSON formats (second-precision UTC dates, Money with four decimals).
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/use-upsert-insert-update-record
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api
 */
import { describe, expect, it } from 'vitest';
import { jsonBody, setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox();

type Row = Record<string, unknown>;
const idFrom = (res: Response): string => /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('odata-entityid') ?? '')?.[1] ?? '';
const DATE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

async function firstId(set: string, pk: string, filter = ''): Promise<string> {
  const r = await t.json<{ value: Row[] }>(`${set}?$select=${pk}&$top=1${filter ? `&$filter=${filter}` : ''}`);
  return String(r.body.value[0]?.[pk]);
}

describe('create', () => {
  it('create returns 204 + OData-EntityId with an absolute URL on the request base', async () => {
    const res = await t.call('accounts', {
      method: 'POST',
      ...jsonBody({ name: 'Sample Account', creditonhold: false, revenue: 5000000, accountcategorycode: 1 }),
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('odata-version')).toBe('4.0');
    expect(res.headers.get('odata-entityid')).toMatch(new RegExp(`^${t.api.replace(/[.]/g, '\\.')}/accounts\\([0-9a-f-]{36}\\)$`));
    expect(await res.text()).toBe('');
  });
  it('Prefer return=representation → 201 + body, Preference-Applied, no OData-EntityId, money 4 decimals, currency lookup added', async () => {
    const res = await t.call('accounts?$select=name,revenue,createdon', {
      method: 'POST',
      headers: { prefer: 'return=representation' },
      ...jsonBody({ name: 'Rep', revenue: 5000000 }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('preference-applied')).toBe('return=representation');
    expect(res.headers.get('odata-entityid')).toBeNull();
    expect(res.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
    const text = await res.text();
    expect(text).toContain('"revenue":5000000.0000');
    const body = JSON.parse(text) as Row;
    expect(body['@odata.context']).toBe(`${t.api}/$metadata#accounts(name,revenue,createdon)/$entity`);
    expect(body['@odata.etag']).toMatch(/^W\/"\d+"$/);
    expect(body.createdon).toMatch(DATE_RE);
    expect(body._transactioncurrencyid_value).toBe('1b2c3d4e-0002-4a00-8000-00000000c001');
    expect(res.headers.get('etag')).toBe(body['@odata.etag']);
  });
  it('a client-supplied primary key is honoured; a duplicate is 412 0x80040237', async () => {
    const id = '0a0a0a0a-1111-4222-8333-444444444444';
    const res = await t.call('contacts', { method: 'POST', ...jsonBody({ contactid: id, lastname: 'Keyed' }) });
    expect(res.status).toBe(204);
    expect(idFrom(res)).toBe(id);
    const dup = await t.json<{ error: { code: string; message: string } }>('contacts', {
      method: 'POST',
      ...jsonBody({ contactid: id, lastname: 'Again' }),
    });
    expect(dup.status).toBe(412);
    expect(dup.body.error).toEqual({ code: '0x80040237', message: 'A record with matching key values already exists.' });
  });
  it('defaults: statecode/statuscode, ownerid = caller, createdon/modifiedon, versionnumber, fullname computed', async () => {
    const res = await t.call('contacts', { method: 'POST', ...jsonBody({ firstname: 'Ada', lastname: 'Lovelace' }) });
    const c = await t.json<Row>(`contacts(${idFrom(res)})`);
    expect(c.body.statecode).toBe(0);
    expect(c.body.statuscode).toBe(1);
    expect(c.body.fullname).toBe('Ada Lovelace');
    expect(c.body._ownerid_value).toBe('1b2c3d4e-0003-4a00-8000-000000000001');
    expect(c.body.createdon).toMatch(DATE_RE);
    expect(c.body.modifiedon).toMatch(DATE_RE);
    expect(typeof c.body.versionnumber).toBe('number');
    expect(c.body['@odata.etag']).toBe(`W/"${String(c.body.versionnumber)}"`);
  });
  it('lead statecode is not valid for create (silently ignored); salesorder gets an order number', async () => {
    const res = await t.call('leads', { method: 'POST', ...jsonBody({ subject: 'S', lastname: 'L', statecode: 1 }) });
    const lead = await t.json<Row>(`leads(${idFrom(res)})?$select=statecode,statuscode`);
    expect(lead.body.statecode).toBe(0);
    const acc = await firstId('accounts', 'accountid');
    const pl = await firstId('pricelevels', 'pricelevelid');
    const so = await t.call('salesorders', {
      method: 'POST',
      ...jsonBody({ name: 'Order', 'customerid_account@odata.bind': `/accounts(${acc})`, 'pricelevelid@odata.bind': `pricelevels(${pl})` }),
    });
    expect(so.status).toBe(204);
    const order = await t.json<Row>(`salesorders(${idFrom(so)})?$select=ordernumber,_customerid_value`);
    expect(order.body.ordernumber).toMatch(/^ORD-\d{5}-[0-9A-F]{6}$/);
    expect(order.body._customerid_value).toBe(acc);
  });
  it('product: SystemRequired productnumber missing → 400; present → created in Draft', async () => {
    const miss = await t.json<{ error: { code: string } }>('products', { method: 'POST', ...jsonBody({ name: 'P' }) });
    expect(miss.status).toBe(400);
    const ok = await t.call('products', { method: 'POST', ...jsonBody({ name: 'P', productnumber: 'P-1' }) });
    const p = await t.json<Row>(`products(${idFrom(ok)})?$select=statecode,productstructure`);
    expect(p.body).toMatchObject({ statecode: 2, productstructure: 1 });
  });
  it('deep insert of a single-valued navigation property', async () => {
    const res = await t.call('accounts', {
      method: 'POST',
      ...jsonBody({ name: 'Deep', primarycontactid: { firstname: 'John', lastname: 'Deep' } }),
    });
    expect(res.status).toBe(204);
    const a = await t.json<Row>(`accounts(${idFrom(res)})?$select=name&$expand=primarycontactid($select=fullname)`);
    expect((a.body.primarycontactid as Row).fullname).toBe('John Deep');
  });
});

describe('lookups with @odata.bind', () => {
  it('binds by /set(id), set(id) and absolute URL; clears with null', async () => {
    const c = await firstId('contacts', 'contactid');
    for (const ref of [`/contacts(${c})`, `contacts(${c})`, `${t.api}/contacts(${c})`]) {
      const res = await t.call('accounts', { method: 'POST', ...jsonBody({ name: 'Bind', 'primarycontactid@odata.bind': ref }) });
      expect(res.status).toBe(204);
      const a = await t.json<Row>(`accounts(${idFrom(res)})?$select=_primarycontactid_value`);
      expect(a.body._primarycontactid_value).toBe(c);
      const clear = await t.call(`accounts(${idFrom(res)})`, {
        method: 'PATCH',
        headers: { 'if-match': '*' },
        ...jsonBody({ 'primarycontactid@odata.bind': null }),
      });
      expect(clear.status).toBe(204);
      const b = await t.json<Row>(`accounts(${idFrom(res)})?$select=_primarycontactid_value`);
      expect(b.body._primarycontactid_value).toBeNull();
    }
  });
  it('customer lookups: parentcustomerid_account / _contact bind; annotations name the navigation property and table', async () => {
    const acc = await firstId('accounts', 'accountid');
    const con = await firstId('contacts', 'contactid');
    const res = await t.call('contacts', {
      method: 'POST',
      ...jsonBody({ lastname: 'Cust', 'parentcustomerid_account@odata.bind': `/accounts(${acc})` }),
    });
    const id = idFrom(res);
    const r = await t.json<Row>(`contacts(${id})?$select=_parentcustomerid_value`, {
      headers: { prefer: 'odata.include-annotations="*"' },
    });
    expect(r.body._parentcustomerid_value).toBe(acc);
    expect(r.body['_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('account');
    expect(r.body['_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty']).toBe('parentcustomerid_account');
    expect(typeof r.body['_parentcustomerid_value@OData.Community.Display.V1.FormattedValue']).toBe('string');
    await t.call(`contacts(${id})`, { method: 'PATCH', ...jsonBody({ 'parentcustomerid_contact@odata.bind': `/contacts(${con})` }) });
    const r2 = await t.json<Row>(`contacts(${id})?$select=_parentcustomerid_value`, {
      headers: { prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"' },
    });
    expect(r2.body._parentcustomerid_value).toBe(con);
    expect(r2.body['_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('contact');
  });
  it('parentcustomerid@odata.bind (undeclared nav) → 400 0x80048d19', async () => {
    const acc = await firstId('accounts', 'accountid');
    const r = await t.json<{ error: { code: string; message: string } }>('contacts', {
      method: 'POST',
      ...jsonBody({ lastname: 'X', 'parentcustomerid@odata.bind': `/accounts(${acc})` }),
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('0x80048d19');
    expect(r.body.error.message).toContain("An undeclared property 'parentcustomerid' which only has property annotations");
  });
  it('$ref: PUT and DELETE a single-valued reference', async () => {
    const acc = await firstId('accounts', 'accountid');
    const con = await firstId('contacts', 'contactid', "lastname ne 'x'");
    expect((await t.call(`accounts(${acc})/primarycontactid/$ref`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.json<Row>(`accounts(${acc})?$select=_primarycontactid_value`)).body._primarycontactid_value).toBeNull();
    expect(
      (await t.call(`accounts(${acc})/primarycontactid/$ref`, { method: 'PUT', ...jsonBody({ '@odata.id': `${t.api}/contacts(${con})` }) }))
        .status,
    ).toBe(204);
    expect((await t.json<Row>(`accounts(${acc})?$select=_primarycontactid_value`)).body._primarycontactid_value).toBe(con);
  });
});

describe('retrieve', () => {
  it('by id with $select returns the key even if not selected; context names the selection', async () => {
    const id = await firstId('accounts', 'accountid');
    const r = await t.json<Row>(`accounts(${id})?$select=name`);
    expect(r.status).toBe(200);
    expect(r.body['@odata.context']).toBe(`${t.api}/$metadata#accounts(name)/$entity`);
    expect(Object.keys(r.body).sort()).toEqual(['@odata.context', '@odata.etag', 'accountid', 'name']);
  });
  it('by alternate key, by named primary key, and 404 0x80040217 when missing', async () => {
    const r = await t.json<Row>(`accounts(accountnumber='ACC-1001')?$select=accountnumber`);
    expect(r.status).toBe(200);
    expect(r.body.accountnumber).toBe('ACC-1001');
    const byName = await t.json<Row>(`accounts(accountid=${String(r.body.accountid)})?$select=name`);
    expect(byName.status).toBe(200);
    const missing = await t.json<{ error: { code: string; message: string } }>('accounts(00000000-0000-0000-0000-000000000001)');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({
      code: '0x80040217',
      message: 'account With Id = 00000000-0000-0000-0000-000000000001 Does Not Exist',
    });
  });
  it("an invalid alternate key is 400 with Dataverse's message; a bad GUID is 400", async () => {
    const r = await t.json<{ error: { message: string } }>(`accounts(telephone1='1')`);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.account'/);
    expect((await t.call('accounts(not-a-guid)')).status).toBe(400);
  });
  it('without $select returns every property, lookups as _x_value, nulls included', async () => {
    const id = await firstId('accounts', 'accountid');
    const r = await t.json<Row>(`accounts(${id})`);
    expect(r.body).toHaveProperty('_primarycontactid_value');
    expect(r.body).toHaveProperty('fax');
    expect(r.body).not.toHaveProperty('primarycontactid');
    expect(r.body['@odata.context']).toBe(`${t.api}/$metadata#accounts/$entity`);
  });
  it('single property GET and PUT/DELETE', async () => {
    const id = await firstId('accounts', 'accountid');
    expect((await t.call(`accounts(${id})/telephone1`, { method: 'PUT', ...jsonBody({ value: '555-0000' }) })).status).toBe(204);
    const v = await t.json<Row>(`accounts(${id})/telephone1`);
    expect(v.body).toEqual({ '@odata.context': `${t.api}/$metadata#accounts(${id})/telephone1`, value: '555-0000' });
    expect((await t.call(`accounts(${id})/telephone1`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.call(`accounts(${id})/telephone1`)).status).toBe(204);
  });
  it('$expand single-valued navigation with nested $select and its own etag; /$ref form', async () => {
    const r = await t.json<{ value: Row[] }>(`accounts?$select=name&$top=3&$expand=primarycontactid($select=contactid,fullname)`);
    const first = r.body.value[0] ?? {};
    const pc = first.primarycontactid as Row;
    expect(pc['@odata.etag']).toMatch(/^W\//);
    expect(Object.keys(pc).sort()).toEqual(['@odata.etag', 'contactid', 'fullname']);
    const ref = await t.json<{ value: Row[] }>(`accounts?$select=name&$top=1&$expand=primarycontactid/$ref`);
    expect(String((ref.body.value[0]?.primarycontactid as Row)['@odata.id'])).toMatch(/\/contacts\([0-9a-f-]{36}\)$/);
  });
  it('conditional GET: If-None-Match with the current etag → 304, but not with annotations', async () => {
    const id = await firstId('accounts', 'accountid');
    const r = await t.call(`accounts(${id})?$select=name`);
    const etag = r.headers.get('etag') ?? '';
    expect((await t.call(`accounts(${id})?$select=name`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect(
      (await t.call(`accounts(${id})?$select=name`, { headers: { 'if-none-match': etag, prefer: 'odata.include-annotations="*"' } }))
        .status,
    ).toBe(200);
    expect((await t.call(`accounts(${id})?$select=name`, { headers: { 'if-none-match': 'W/"1"' } })).status).toBe(200);
  });
});

describe('update / upsert / delete', () => {
  it('PATCH with If-Match: * → 204; representation → 200; stale etag → 412; versionnumber and modifiedon move', async () => {
    const id = await firstId('accounts', 'accountid');
    const before = await t.json<Row>(`accounts(${id})?$select=name,versionnumber`);
    const res = await t.call(`accounts(${id})`, { method: 'PATCH', headers: { 'if-match': '*' }, ...jsonBody({ name: 'Updated' }) });
    expect(res.status).toBe(204);
    const rep = await t.json<Row>(`accounts(${id})?$select=name`, {
      method: 'PATCH',
      headers: { prefer: 'return=representation' },
      ...jsonBody({ telephone1: '1' }),
    });
    expect(rep.status).toBe(200);
    expect(rep.body.name).toBe('Updated');
    const stale = await t.json<{ error: { code: string; message: string } }>(`accounts(${id})`, {
      method: 'PATCH',
      headers: { 'if-match': String(before.body['@odata.etag']) },
      ...jsonBody({ name: 'x' }),
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error.message).toBe("The version of the existing record doesn't match the RowVersion property provided.");
    const after = await t.json<Row>(`accounts(${id})?$select=versionnumber`);
    expect(Number(after.body.versionnumber)).toBeGreaterThan(Number(before.body.versionnumber));
  });
  it("statecode without statuscode applies the state's default status", async () => {
    const id = await firstId('accounts', 'accountid', 'statecode eq 0');
    await t.call(`accounts(${id})`, { method: 'PATCH', ...jsonBody({ statecode: 1 }) });
    expect((await t.json<Row>(`accounts(${id})?$select=statecode,statuscode`)).body).toMatchObject({ statecode: 1, statuscode: 2 });
  });
  it('If-Match: * on a missing record → 404', async () => {
    const r = await t.call('accounts(00000000-0000-0000-0000-0000000000aa)', {
      method: 'PATCH',
      headers: { 'if-match': '*' },
      ...jsonBody({ name: 'x' }),
    });
    expect(r.status).toBe(404);
  });
  it('upsert without If-Match creates (204, 201 with representation) then updates (200)', async () => {
    const id = '0b0b0b0b-1111-4222-8333-444444444444';
    const created = await t.call(`accounts(${id})`, { method: 'PATCH', ...jsonBody({ name: 'Upserted' }) });
    expect(created.status).toBe(204);
    expect(created.headers.get('odata-entityid')).toBe(`${t.api}/accounts(${id})`);
    const updated = await t.call(`accounts(${id})?$select=name`, {
      method: 'PATCH',
      headers: { prefer: 'return=representation' },
      ...jsonBody({ name: 'Again' }),
    });
    expect(updated.status).toBe(200);
    const id2 = '0c0c0c0c-1111-4222-8333-444444444444';
    const rep = await t.call(`accounts(${id2})?$select=name`, {
      method: 'PATCH',
      headers: { prefer: 'return=representation' },
      ...jsonBody({ name: 'New' }),
    });
    expect(rep.status).toBe(201);
    expect(rep.headers.get('etag')).toMatch(/^W\/"\d+"$/);
  });
  it('upsert by alternate key copies the key into the new record and echoes the key form', async () => {
    const r = await t.call(`accounts(accountnumber='NEW-1')`, { method: 'PATCH', ...jsonBody({ name: 'By key' }) });
    expect(r.status).toBe(204);
    expect(r.headers.get('odata-entityid')).toBe(`${t.api}/accounts(accountnumber='NEW-1')`);
    const got = await t.json<Row>(`accounts(accountnumber='NEW-1')?$select=name,accountnumber`);
    expect(got.body).toMatchObject({ name: 'By key', accountnumber: 'NEW-1' });
  });
  it('If-None-Match: * on an existing record → 412 0x80040237', async () => {
    const id = await firstId('accounts', 'accountid');
    const r = await t.json<{ error: { code: string; message: string } }>(`accounts(${id})`, {
      method: 'PATCH',
      headers: { 'if-none-match': '*' },
      ...jsonBody({ name: 'x' }),
    });
    expect(r.status).toBe(412);
    expect(r.body.error).toEqual({ code: '0x80040237', message: 'A record with matching key values already exists.' });
  });
  it('a second row with an existing alternate-key value → 412 0x80060892', async () => {
    const r = await t.json<{ error: { code: string } }>('accounts', {
      method: 'POST',
      ...jsonBody({ name: 'Dup', accountnumber: 'acc-1001' }),
    });
    expect(r.status).toBe(412);
    expect(r.body.error.code).toBe('0x80060892');
  });
  it('delete → 204, then 404; stale If-Match → 412; references are removed', async () => {
    const acc = await t.json<{ value: Row[] }>(
      'accounts?$select=accountid,_primarycontactid_value&$top=1&$filter=_primarycontactid_value ne null',
    );
    const a = acc.body.value[0] ?? {};
    const contactId = String(a._primarycontactid_value);
    const stale = await t.call(`contacts(${contactId})`, { method: 'DELETE', headers: { 'if-match': 'W/"1"' } });
    expect(stale.status).toBe(412);
    expect((await t.call(`contacts(${contactId})`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.call(`contacts(${contactId})`, { method: 'DELETE' })).status).toBe(404);
    const after = await t.json<Row>(`accounts(${String(a.accountid)})?$select=_primarycontactid_value`);
    expect(after.body._primarycontactid_value).toBeNull();
  });
});
