/**
 * account.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/account
 */
import { bool, choice, int, lookup, memo, money, option, str } from './columns';
import { activeInactive, defineTable } from './define-table';
import type { Row } from './types';

export function addressComposite(row: Row, prefix: string): void {
  const part = (k: string): string => {
    const v = row[`${prefix}_${k}`];
    return typeof v === 'string' ? v : '';
  };
  const cityLine = [part('city'), [part('stateorprovince'), part('postalcode')].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const lines = [part('line1'), cityLine, part('country')].filter(Boolean);
  row[`${prefix}_composite`] = lines.length ? lines.join('\r\n') : null;
}

export const account = defineTable({
  logicalName: 'account',
  displayName: 'Account',
  displayCollectionName: 'Accounts',
  description: 'Business that represents a customer or potential customer.',
  primaryName: 'name',
  primaryNameLength: 160,
  ownership: 'UserOwned',
  objectTypeCode: 1,
  currency: true,
  alternateKeys: [{ name: 'AccountNumberKey', displayName: 'Account Number', columns: ['accountnumber'] }],
  ...activeInactive,
  columns: (t) => [
    str(t, 'accountnumber', 'Account Number', 20),
    str(t, 'telephone1', 'Main Phone', 50),
    str(t, 'emailaddress1', 'Email', 100),
    str(t, 'websiteurl', 'Website', 200),
    str(t, 'fax', 'Fax', 50),
    str(t, 'address1_line1', 'Address 1: Street 1', 250),
    str(t, 'address1_city', 'Address 1: City', 80),
    str(t, 'address1_stateorprovince', 'Address 1: State/Province', 50),
    str(t, 'address1_postalcode', 'Address 1: ZIP/Postal Code', 20),
    str(t, 'address1_country', 'Address 1: Country/Region', 80),
    memo(t, 'address1_composite', 'Address 1', 1000, { validForCreate: false, validForUpdate: false, attributeOf: 'address1_line1' }),
    memo(t, 'description', 'Description', 2000),
    money(t, 'revenue', 'Annual Revenue'),
    int(t, 'numberofemployees', 'Number of Employees', 0, 1000000000),
    bool(t, 'creditonhold', 'Credit Hold'),
    choice(t, 'accountcategorycode', 'Category', [option(1, 'Preferred Customer'), option(2, 'Standard')]),
    choice(t, 'customertypecode', 'Relationship Type', [
      option(1, 'Competitor'),
      option(2, 'Consultant'),
      option(3, 'Customer'),
      option(4, 'Investor'),
      option(5, 'Partner'),
      option(6, 'Influencer'),
      option(7, 'Press'),
      option(8, 'Prospect'),
      option(9, 'Reseller'),
      option(10, 'Supplier'),
      option(11, 'Vendor'),
      option(12, 'Other'),
    ]),
    choice(t, 'industrycode', 'Industry', [
      option(1, 'Accounting'),
      option(2, 'Agriculture and Non-petrol Natural Resource Extraction'),
      option(3, 'Broadcasting Printing and Publishing'),
      option(4, 'Brokers'),
      option(5, 'Building Supply Retail'),
      option(6, 'Business Services'),
      option(7, 'Consulting'),
      option(8, 'Consumer Services'),
      option(9, 'Design, Direction and Creative Management'),
      option(10, 'Distributors, Dispatchers and Processors'),
      option(11, "Doctor's Offices and Clinics"),
      option(12, 'Durable Manufacturing'),
    ]),
    lookup(t, 'primarycontactid', 'Primary Contact', 'contact', 'account_primary_contact', { schemaName: 'PrimaryContactId' }),
    lookup(t, 'parentaccountid', 'Parent Account', 'account', 'account_parent_account', { schemaName: 'ParentAccountId' }),
    str(t, 'new_region', 'Sales Region', 100, 'None', { isCustom: true, schemaName: 'new_Region' }),
  ],
  compute: (row) => addressComposite(row, 'address1'),
});
