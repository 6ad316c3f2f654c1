/**
 * Conformance: service document, $metadata CSDL and EntityDefinitions for dynamic discovery.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-service-documents
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
 */
import { describe, expect, it } from 'vitest';
import { setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox({ reset: false });

type Row = Record<string, unknown>;
const q = (s: string): string => encodeURIComponent(s);

describe('service documents', () => {
  it('the service document lists entity sets', async () => {
    const r = await t.json<{ '@odata.context': string; value: Array<{ name: string; kind: string; url: string }> }>('');
    expect(r.status).toBe(200);
    expect(r.body['@odata.context']).toBe(`${t.api}/$metadata`);
    const names = r.body.value.map((v) => v.name);
    for (const n of [
      'accounts',
      'contacts',
      'leads',
      'salesorders',
      'invoices',
      'products',
      'systemusers',
      'new_projects',
      'EntityDefinitions',
    ])
      expect(names).toContain(n);
    expect(r.body.value.find((v) => v.name === 'accounts')).toEqual({ name: 'accounts', kind: 'EntitySet', url: 'accounts' });
  });
  it('$metadata is CSDL with the mscrm alias, lookups as _x_value, navigation properties, alternate keys', async () => {
    const res = await t.call('$metadata', { headers: { accept: 'application/xml' } });
    expect(res.headers.get('content-type')).toBe('application/xml');
    const xml = await res.text();
    expect(xml).toContain('<Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm"');
    expect(xml).toContain('<EntityType Name="account" BaseType="mscrm.crmbaseentity">');
    expect(xml).toContain('<Property Name="_primarycontactid_value" Type="Edm.Guid"/>');
    expect(xml).toMatch(
      /<NavigationProperty Name="primarycontactid" Type="mscrm.contact"[^>]*><ReferentialConstraint Property="_primarycontactid_value" ReferencedProperty="contactid"\/>/,
    );
    expect(xml).toContain('<NavigationProperty Name="parentcustomerid_account" Type="mscrm.account"');
    expect(xml).toContain(
      '<NavigationProperty Name="contact_customer_accounts" Type="Collection(mscrm.contact)" Partner="parentcustomerid_account"/>',
    );
    expect(xml).toContain('<PropertyValue Property="Alias" String="accountnumber"/>');
    expect(xml).toContain('<EntitySet Name="new_projects" EntityType="mscrm.new_project">');
  });
  it('v9.0 and v9.1 work; names are case-sensitive (Account → 404 0x8006088a)', async () => {
    for (const v of ['v9.0', 'v9.1']) {
      const r = await t.call(`${t.service}/api/data/${v}/WhoAmI`);
      expect(r.status).toBe(200);
      expect(((await r.json()) as Row)['@odata.context']).toBe(
        `${t.service}/api/data/${v}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      );
    }
    const r = await t.json<{ error: Row }>('Account');
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({ code: '0x8006088a', message: "Resource not found for the segment 'Account'." });
    const post = await t.json<{ error: Row }>('WhoAmI', { method: 'POST', body: '{}' });
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe('');
    expect(String(post.body.error.message)).toMatch(/^No HTTP resource was found that matches the request URI/);
  });
});

describe('EntityDefinitions', () => {
  it('lists entities with $select and $filter (custom table discoverable)', async () => {
    const r = await t.json<{ value: Row[] }>(
      `EntityDefinitions?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,IsCustomEntity,OwnershipType,ChangeTrackingEnabled&$filter=${q('IsCustomEntity eq true')}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.value).toHaveLength(1);
    expect(r.body.value[0]).toMatchObject({
      LogicalName: 'new_project',
      EntitySetName: 'new_projects',
      PrimaryIdAttribute: 'new_projectid',
      PrimaryNameAttribute: 'new_name',
      IsCustomEntity: true,
      OwnershipType: 'UserOwned',
      ChangeTrackingEnabled: true,
    });
    expect(typeof r.body.value[0]?.MetadataId).toBe('string');
    const enumFilter = await t.json<{ value: Row[] }>(
      `EntityDefinitions?$select=LogicalName&$filter=${q("OwnershipType eq Microsoft.Dynamics.CRM.OwnershipTypes'OrganizationOwned'")}`,
    );
    expect(enumFilter.body.value.map((e) => e.LogicalName)).toContain('product');
    const bad = await t.json<{ error: Row }>('EntityDefinitions?$select=Nope');
    expect(bad.status).toBe(400);
  });
  it("EntityDefinitions(LogicalName='account') returns the entity with labels", async () => {
    const r = await t.json<Row>(`EntityDefinitions(LogicalName='account')?$select=DisplayName,EntitySetName`);
    expect(r.status).toBe(200);
    expect(r.body.EntitySetName).toBe('accounts');
    const label = r.body.DisplayName as { LocalizedLabels: Row[]; UserLocalizedLabel: Row };
    expect(label.UserLocalizedLabel).toMatchObject({ Label: 'Account', LanguageCode: 1033 });
    expect((await t.call(`EntityDefinitions(LogicalName='nope')`)).status).toBe(404);
  });
  it('$expand=Attributes with nested $select/$filter and enum literals', async () => {
    const r = await t.json<{ value?: Row[] } & Row>(
      `EntityDefinitions(LogicalName='contact')?$select=LogicalName&$expand=Attributes($select=LogicalName;$filter=${q("AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist'")})`,
    );
    const attrs = r.body.Attributes as Row[];
    expect(attrs.map((a) => a.LogicalName).sort()).toEqual(['gendercode', 'new_preferredchannel', 'preferredcontactmethodcode']);
  });
  it('/Attributes with RequiredLevel/Value filter and the shape of an attribute', async () => {
    const r = await t.json<{ value: Row[] }>(
      `EntityDefinitions(LogicalName='lead')/Attributes?$select=LogicalName&$filter=${q("RequiredLevel/Value eq Microsoft.Dynamics.CRM.AttributeRequiredLevel'ApplicationRequired'")}`,
    );
    expect(r.body.value.map((a) => a.LogicalName).sort()).toEqual(['lastname', 'subject']);
    const full = await t.json<{ value: Row[] }>(`EntityDefinitions(LogicalName='account')/Attributes`);
    const name = full.body.value.find((a) => a.LogicalName === 'name') ?? {};
    expect(name).toMatchObject({
      '@odata.type': '#Microsoft.Dynamics.CRM.StringAttributeMetadata',
      AttributeType: 'String',
      AttributeTypeName: { Value: 'StringType' },
      IsPrimaryName: true,
      IsValidForCreate: true,
      MaxLength: 160,
      RequiredLevel: { Value: 'ApplicationRequired', CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' },
    });
    const state = full.body.value.find((a) => a.LogicalName === 'statecode') ?? {};
    expect(state['@odata.type']).toBe('#Microsoft.Dynamics.CRM.StateAttributeMetadata');
    const lookup = full.body.value.find((a) => a.LogicalName === 'primarycontactid') ?? {};
    expect(lookup).toMatchObject({ AttributeType: 'Lookup', Targets: ['contact'] });
    const pk = full.body.value.find((a) => a.LogicalName === 'accountid') ?? {};
    expect(pk).toMatchObject({ AttributeTypeName: { Value: 'UniqueidentifierType' }, IsPrimaryId: true, IsValidForUpdate: false });
    const noCast = await t.json<{ error: Row }>(`EntityDefinitions(LogicalName='account')/Attributes?$select=MaxLength`);
    expect(noCast.status).toBe(400);
  });
  it('casts: PicklistAttributeMetadata with OptionSet (custom choice column on contact)', async () => {
    const r = await t.json<{ value: Row[] }>(
      `EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options,OptionSetType,IsCustomOptionSet),GlobalOptionSet`,
    );
    expect(Object.keys(r.body.value[0]?.OptionSet as Row).sort()).toEqual(['IsCustomOptionSet', 'MetadataId', 'OptionSetType', 'Options']);
    expect(r.status).toBe(200);
    const custom = r.body.value.find((a) => a.LogicalName === 'new_preferredchannel') ?? {};
    const os = custom.OptionSet as {
      Options: Array<{ Value: number; Label: { UserLocalizedLabel: { Label: string } } }>;
      OptionSetType: string;
      IsCustomOptionSet: boolean;
    };
    expect(os.OptionSetType).toBe('Picklist');
    expect(os.IsCustomOptionSet).toBe(true);
    expect(os.Options.map((o) => [o.Value, o.Label.UserLocalizedLabel.Label])).toEqual([
      [100000000, 'Email'],
      [100000001, 'Phone'],
      [100000002, 'Text message'],
      [100000003, 'In person'],
    ]);
    const status = await t.json<{ value: Row[] }>(
      `EntityDefinitions(LogicalName='lead')/Attributes/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$expand=OptionSet`,
    );
    const opts = ((status.body.value[0]?.OptionSet as Row).Options as Row[]).map((o) => [o.Value, o.State]);
    expect(opts).toContainEqual([3, 1]);
    const stateAttr = await t.json<Row>(
      `EntityDefinitions(LogicalName='lead')/Attributes(LogicalName='statecode')/Microsoft.Dynamics.CRM.StateAttributeMetadata/OptionSet`,
    );
    expect((stateAttr.body.Options as Row[]).map((o) => o.DefaultStatus)).toEqual([1, 3, 4]);
    const money = await t.json<{ value: Row[] }>(
      `EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM.MoneyAttributeMetadata?$select=LogicalName,Precision`,
    );
    expect(money.body.value.map((a) => a.LogicalName)).toContain('revenue');
    const boolCast = await t.json<{ value: Row[] }>(
      `EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM.BooleanAttributeMetadata?$select=LogicalName&$expand=OptionSet`,
    );
    expect(((boolCast.body.value[0]?.OptionSet as Row).TrueOption as Row).Value).toBe(1);
  });
  it('relationships carry the navigation property names used in @odata.bind; keys are listed', async () => {
    const r = await t.json<{ value: Row[] }>(
      `EntityDefinitions(LogicalName='contact')/ManyToOneRelationships?$select=ReferencingAttribute,ReferencedEntity,ReferencingEntityNavigationPropertyName`,
    );
    const cust = r.body.value
      .filter((x) => x.ReferencingAttribute === 'parentcustomerid')
      .map((x) => [x.ReferencedEntity, x.ReferencingEntityNavigationPropertyName]);
    expect(cust).toEqual([
      ['account', 'parentcustomerid_account'],
      ['contact', 'parentcustomerid_contact'],
    ]);
    const custom = await t.json<{ value: Row[] }>(
      `EntityDefinitions(LogicalName='new_project')/ManyToOneRelationships?$filter=ReferencingAttribute eq 'new_accountid'`,
    );
    expect(custom.body.value[0]?.ReferencingEntityNavigationPropertyName).toBe('new_AccountId');
    const keys = await t.json<{ value: Row[] }>(`EntityDefinitions(LogicalName='account')/Keys`);
    expect(keys.body.value[0]).toMatchObject({ KeyAttributes: ['accountnumber'], EntityKeyIndexStatus: 'Active' });
  });
});
