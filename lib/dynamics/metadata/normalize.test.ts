import { describe, expect, it } from 'vitest';
import { contactParts, entityList } from '../../../test/fixtures/contact-metadata';
import { collectionOf, rawEntityDefinitionSchema } from './raw-types';
import { normalizeTableList } from './normalize-table';
import { normalizeTableSchema, UnusableTableError } from './normalize-table-schema';
import { metadataPaths } from './metadata-paths';
import { InvalidNameError } from './names';

const contact = normalizeTableSchema(contactParts);
const col = (name: string) => {
  const c = contact.columns.find((x) => x.logicalName === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
};

describe('normalizeTableList', () => {
  it('keeps only tables usable through the Web API, sorted', () => {
    const tables = normalizeTableList(collectionOf(rawEntityDefinitionSchema).parse(entityList).value);
    expect(tables.map((t) => t.logicalName)).toEqual(['account', 'contact', 'new_project']);
    const project = tables.find((t) => t.logicalName === 'new_project');
    expect(project).toMatchObject({
      entitySetName: 'new_projects',
      isCustom: true,
      changeTrackingEnabled: false,
      displayCollectionName: 'Projects',
      primaryNameAttribute: 'new_name',
    });
  });
});

describe('normalizeTableSchema', () => {
  it('reads the table summary', () => {
    expect(contact).toMatchObject({
      logicalName: 'contact',
      entitySetName: 'contacts',
      primaryIdAttribute: 'contactid',
      primaryNameAttribute: 'fullname',
      ownership: 'UserOwned',
      changeTrackingEnabled: true,
      displayName: 'Contact',
    });
  });

  it('drops helper columns and types without a JSON value', () => {
    const names = contact.columns.map((c) => c.logicalName);
    expect(names).not.toContain('address1_composite');
    expect(names).not.toContain('parentcustomeridname');
    expect(names).not.toContain('entityimage');
    expect(names).not.toContain('parentcustomeridtype');
    expect(names).toContain('lastname');
  });

  it('reads type, required level, max length and writability', () => {
    expect(col('lastname')).toMatchObject({
      type: 'string',
      requiredLevel: 'ApplicationRequired',
      maxLength: 50,
      displayName: 'Last Name',
      validForCreate: true,
    });
    expect(col('fullname')).toMatchObject({ isPrimaryName: true, validForCreate: false, validForUpdate: false });
    expect(col('contactid')).toMatchObject({ type: 'uniqueidentifier', isPrimaryId: true, requiredLevel: 'SystemRequired' });
    expect(col('new_loyaltypoints')).toMatchObject({ type: 'integer', minValue: 0, maxValue: 1000000, isCustom: true });
    expect(col('annualincome')).toMatchObject({ type: 'money', precision: 2 });
    expect(col('birthdate')).toMatchObject({ type: 'datetime', dateOnly: true });
    expect(col('modifiedon')).toMatchObject({ type: 'datetime', dateOnly: false });
  });

  it('reads choices: local, global, state with default status, status with state, boolean', () => {
    expect(col('gendercode').choices).toEqual([
      { value: 1, label: 'Male' },
      { value: 2, label: 'Female' },
    ]);
    expect(col('new_preferredchannel').choices?.map((o) => o.label)).toEqual(['Email', 'Phone', 'Text message']);
    expect(col('statecode').choices).toEqual([
      { value: 0, label: 'Active', defaultStatus: 1 },
      { value: 1, label: 'Inactive', defaultStatus: 2 },
    ]);
    expect(col('statuscode').choices).toEqual([
      { value: 1, label: 'Active', state: 0 },
      { value: 2, label: 'Inactive', state: 1 },
    ]);
    expect(col('donotemail')).toMatchObject({
      type: 'boolean',
      choices: [
        { value: 0, label: 'Allow' },
        { value: 1, label: 'Do Not Allow' },
      ],
    });
  });

  it('reads lookup targets with navigation property names, polymorphic and owner included', () => {
    expect(col('parentcustomerid')).toMatchObject({
      type: 'customer',
      targets: [
        { table: 'account', navigationProperty: 'parentcustomerid_account' },
        { table: 'contact', navigationProperty: 'parentcustomerid_contact' },
      ],
    });
    expect(col('ownerid').targets).toEqual([
      { table: 'systemuser', navigationProperty: 'ownerid' },
      { table: 'team', navigationProperty: 'ownerid' },
    ]);
    expect(col('originatingleadid').targets).toEqual([{ table: 'lead', navigationProperty: 'originatingleadid' }]);
  });

  it('keeps active alternate keys only', () => {
    expect(contact.alternateKeys).toEqual([
      { logicalName: 'emailaddresskey', schemaName: 'EmailAddressKey', displayName: 'Email', columns: ['emailaddress1'] },
    ]);
  });

  it('refuses an unusable table', () => {
    expect(() => normalizeTableSchema({ ...contactParts, entity: { ...contactParts.entity, EntitySetName: null } })).toThrow(
      UnusableTableError,
    );
  });
});

describe('metadataPaths', () => {
  it('builds paths from validated names only', () => {
    expect(metadataPaths.attributes('new_project')).toBe("EntityDefinitions(LogicalName='new_project')/Attributes");
    expect(metadataPaths.enumAttributes('contact', 'PicklistAttributeMetadata')).toBe(
      "EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet",
    );
    for (const bad of ["account') or (1 eq 1", 'Account', '../x', 'a/b', 'x%27'])
      expect(() => metadataPaths.keys(bad)).toThrow(InvalidNameError);
  });
});
