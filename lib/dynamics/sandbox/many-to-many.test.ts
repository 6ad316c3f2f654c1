/**
 * Conformance: many-to-many relationships (account–lead `accountleads_association`, contact–lead
 * `contactleads_association`) over real HTTP: associate and disassociate through `$ref`, listing
 * and `$expand`, the documented errors, their RelationshipDefinitions metadata and $metadata.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api#querying-relationship-definitions
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-navigation-properties
 */
import { describe, expect, it } from 'vitest';
import { jsonBody, setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox();

type Row = Record<string, unknown>;
type Page = { value: Row[] } & Row;
type Failure = { error: { code: string; message: string } };

async function firstIds(set: string, pk: string, n: number): Promise<string[]> {
  const r = await t.json<Page>(`${set}?$select=${pk}&$top=${n}`);
  return r.body.value.map((x) => String(x[pk]));
}

async function relatedLeadIds(accountId: string): Promise<string[]> {
  const r = await t.json<Page>(`accounts(${accountId})/accountleads_association?$select=fullname`);
  expect(r.status).toBe(200);
  return r.body.value.map((x) => String(x.leadid)).sort();
}

describe('Add a reference to a collection-valued navigation property (N:N)', () => {
  it('POST …/$ref associates (204); the pair is listed from both sides; a second POST is the duplicate error', async () => {
    const [accountId] = await firstIds('accounts', 'accountid', 1);
    const leads = await firstIds('leads', 'leadid', 2);
    for (const leadId of leads) {
      const res = await t.call(`accounts(${accountId})/accountleads_association/$ref`, {
        method: 'POST',
        ...jsonBody({ '@odata.id': `${t.api}/leads(${leadId})` }),
      });
      expect(res.status).toBe(204);
    }
    expect(await relatedLeadIds(String(accountId))).toEqual([...leads].sort());
    const back = await t.json<Page>(`leads(${leads[0]})/accountleads_association?$select=name`);
    expect(back.body.value.map((a) => a.accountid)).toEqual([accountId]);
    expect(back.body['@odata.context']).toBe(`${t.api}/$metadata#accounts(name)`);

    const again = await t.json<Failure>(`accounts(${accountId})/accountleads_association/$ref`, {
      method: 'POST',
      ...jsonBody({ '@odata.id': `leads(${leads[0]})` }),
    });
    expect(again.status).toBe(412);
    expect(again.body.error).toEqual({ code: '0x80040237', message: 'Cannot insert duplicate key.' });

    const refs = await t.json<Page>(`accounts(${accountId})/accountleads_association/$ref`);
    expect(refs.body['@odata.context']).toBe(`${t.api}/$metadata#Collection($ref)`);
    expect(refs.body.value.map((r) => r['@odata.id']).sort()).toEqual([...leads].sort().map((l) => `${t.api}/leads(${l})`));
    const count = await t.call(`accounts(${accountId})/accountleads_association/$count`);
    expect((await count.text()).replace('\uFEFF', '')).toBe('2');
  });

  it('an unknown navigation property is 404 for its segment; a row of the wrong table is 400; a missing row 404', async () => {
    const [accountId] = await firstIds('accounts', 'accountid', 1);
    const [contactId] = await firstIds('contacts', 'contactid', 1);
    const unknown = await t.json<Failure>(`accounts(${accountId})/accountleads_associations/$ref`, {
      method: 'POST',
      ...jsonBody({ '@odata.id': `contacts(${contactId})` }),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: '0x8006088a', message: "Resource not found for the segment 'accountleads_associations'." });
    const wrong = await t.json<Failure>(`accounts(${accountId})/accountleads_association/$ref`, {
      method: 'POST',
      ...jsonBody({ '@odata.id': `contacts(${contactId})` }),
    });
    expect(wrong.status).toBe(400);
    const missing = await t.json<Failure>(`accounts(${accountId})/accountleads_association/$ref`, {
      method: 'POST',
      ...jsonBody({ '@odata.id': 'leads(00000000-0000-0000-0000-00000000abcd)' }),
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('0x80040217');
  });
});

describe('Remove a reference to a table (N:N)', () => {
  it('DELETE …/$ref?$id=<url> and DELETE …/<nav>(<id>)/$ref both disassociate (204); a pair not associated is 204 too', async () => {
    const [contactId] = await firstIds('contacts', 'contactid', 1);
    const leads = await firstIds('leads', 'leadid', 2);
    for (const leadId of leads) {
      const res = await t.call(`contacts(${contactId})/contactleads_association/$ref`, {
        method: 'POST',
        ...jsonBody({ '@odata.id': `${t.api}/leads(${leadId})` }),
      });
      expect(res.status).toBe(204);
    }
    const byId = await t.call(
      `contacts(${contactId})/contactleads_association/$ref?$id=${encodeURIComponent(`${t.api}/leads(${leads[0]})`)}`,
      { method: 'DELETE' },
    );
    expect(byId.status).toBe(204);
    const byKey = await t.call(`contacts(${contactId})/contactleads_association(${leads[1]})/$ref`, { method: 'DELETE' });
    expect(byKey.status).toBe(204);
    const left = await t.json<Page>(`contacts(${contactId})/contactleads_association`);
    expect(left.body.value).toEqual([]);
    const again = await t.call(`contacts(${contactId})/contactleads_association(${leads[1]})/$ref`, { method: 'DELETE' });
    expect(again.status).toBe(204);
  });

  it('deleting a row removes its associations; the intersect entity set is readable, not writable', async () => {
    const [accountId] = await firstIds('accounts', 'accountid', 1);
    const created = await t.call('leads', { method: 'POST', ...jsonBody({ subject: 'N:N', lastname: 'Intersect' }) });
    const leadId = /\(([^)]+)\)$/.exec(created.headers.get('OData-EntityId') ?? '')?.[1];
    await t.call(`leads(${leadId})/accountleads_association/$ref`, {
      method: 'POST',
      ...jsonBody({ '@odata.id': `accounts(${accountId})` }),
    });
    const rows = await t.json<Page>(`accountleadscollection?$filter=leadid eq ${leadId}`);
    expect(rows.body.value).toHaveLength(1);
    expect(rows.body.value[0]).toMatchObject({ accountid: accountId, leadid: leadId });
    const write = await t.json<Failure>('accountleadscollection', {
      method: 'POST',
      ...jsonBody({ accountid: accountId, leadid: leadId }),
    });
    expect(write.status).toBe(400);
    expect(write.body.error.message).toBe("The 'Create' method does not support entities of type 'accountleads'.");
    expect((await t.call(`leads(${leadId})`, { method: 'DELETE' })).status).toBe(204);
    const after = await t.json<Page>(`accountleadscollection?$filter=leadid eq ${leadId}`);
    expect(after.body.value).toEqual([]);
  });
});

describe('$expand of a many-to-many navigation property', () => {
  it('returns the related rows of each row', async () => {
    const [accountId] = await firstIds('accounts', 'accountid', 1);
    const [leadId] = await firstIds('leads', 'leadid', 1);
    await t.call(`accounts(${accountId})/accountleads_association/$ref`, {
      method: 'POST',
      ...jsonBody({ '@odata.id': `leads(${leadId})` }),
    });
    const one = await t.json<Row>(`accounts(${accountId})?$select=name&$expand=accountleads_association($select=fullname)`);
    expect((one.body.accountleads_association as Row[]).map((l) => l.leadid)).toEqual([leadId]);
    const set = await t.json<Page>(`leads?$select=fullname&$filter=leadid eq ${leadId}&$expand=accountleads_association($select=name)`);
    const lead = set.body.value[0] ?? {};
    expect((lead.accountleads_association as Row[]).map((a) => a.accountid)).toEqual([accountId]);
  });
});

describe('Querying relationship definitions', () => {
  it('RelationshipDefinitions and ManyToManyRelationships describe both relationships', async () => {
    const all = await t.json<Page>(
      `RelationshipDefinitions/Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata?$select=SchemaName,Entity1LogicalName,Entity2LogicalName,IntersectEntityName,Entity1NavigationPropertyName,Entity2NavigationPropertyName`,
    );
    expect(all.status).toBe(200);
    const bySchema = Object.fromEntries(all.body.value.map((r) => [r.SchemaName, r]));
    expect(bySchema.accountleads_association).toMatchObject({
      '@odata.type': '#Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata',
      Entity1LogicalName: 'account',
      Entity2LogicalName: 'lead',
      IntersectEntityName: 'accountleads',
      Entity1NavigationPropertyName: 'accountleads_association',
      Entity2NavigationPropertyName: 'accountleads_association',
    });
    expect(bySchema.contactleads_association).toMatchObject({ Entity1LogicalName: 'contact', IntersectEntityName: 'contactleads' });
    const lead = await t.json<Page>(`EntityDefinitions(LogicalName='lead')/ManyToManyRelationships?$select=SchemaName`);
    expect(lead.body.value.map((r) => r.SchemaName).sort()).toEqual(['accountleads_association', 'contactleads_association']);
    const one = await t.json<Row>(`RelationshipDefinitions(SchemaName='contactleads_association')`);
    expect(one.body).toMatchObject({ RelationshipType: 'ManyToManyRelationship', Entity2IntersectAttribute: 'leadid' });
    const intersect = await t.json<Row>(`EntityDefinitions(LogicalName='accountleads')?$select=IsIntersect`);
    expect(intersect.body.IsIntersect).toBe(true);
  });

  it('$metadata declares the collection-valued navigation properties with Name == Partner', async () => {
    const res = await t.call('$metadata');
    const xml = await res.text();
    const lead = xml.slice(xml.indexOf('<EntityType Name="lead"'), xml.indexOf('</EntityType>', xml.indexOf('<EntityType Name="lead"')));
    expect(lead).toContain(
      '<NavigationProperty Name="accountleads_association" Type="Collection(mscrm.account)" Partner="accountleads_association"/>',
    );
    expect(lead).toContain(
      '<NavigationProperty Name="contactleads_association" Type="Collection(mscrm.contact)" Partner="contactleads_association"/>',
    );
  });
});
