/**
 * contact, plus custom columns (`new_` prefix, IsCustomAttribute true) so that dynamic discovery has
 * custom columns to find.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/contact
 */
import { addressComposite } from './account';
import { choice, col, customer, date, int, lookup, memo, option, str } from './columns';
import { activeInactive, defineTable } from './define-table';
import type { Row } from './types';

export function fullName(row: Row): void {
  const first = typeof row.firstname === 'string' ? row.firstname : '';
  const last = typeof row.lastname === 'string' ? row.lastname : '';
  const full = `${first} ${last}`.trim();
  row.fullname = full || null;
}

export const contact = defineTable({
  logicalName: 'contact',
  displayName: 'Contact',
  displayCollectionName: 'Contacts',
  description: 'Person with whom a business unit has a relationship, such as customer, supplier, and colleague.',
  primaryName: 'fullname',
  primaryNameDeclared: true,
  ownership: 'UserOwned',
  objectTypeCode: 2,
  currency: true,
  alternateKeys: [{ name: 'EmailAddressKey', displayName: 'Email', columns: ['emailaddress1'] }],
  ...activeInactive,
  columns: (t) => [
    str(t, 'firstname', 'First Name', 50, 'Recommended'),
    str(t, 'lastname', 'Last Name', 50, 'ApplicationRequired'),
    col(t, 'fullname', 'string', 'Full Name', { maxLength: 160, isPrimaryName: true, validForCreate: false, validForUpdate: false }),
    str(t, 'emailaddress1', 'Email', 100),
    str(t, 'telephone1', 'Business Phone', 50),
    str(t, 'mobilephone', 'Mobile Phone', 50),
    str(t, 'jobtitle', 'Job Title', 100),
    str(t, 'address1_line1', 'Address 1: Street 1', 250),
    str(t, 'address1_city', 'Address 1: City', 80),
    str(t, 'address1_stateorprovince', 'Address 1: State/Province', 50),
    str(t, 'address1_postalcode', 'Address 1: ZIP/Postal Code', 20),
    str(t, 'address1_country', 'Address 1: Country/Region', 80),
    memo(t, 'address1_composite', 'Address 1', 1000, { validForCreate: false, validForUpdate: false, attributeOf: 'address1_line1' }),
    memo(t, 'description', 'Description', 2000),
    customer(t, 'parentcustomerid', 'Company Name', 'contact_customer', { schemaName: 'ParentCustomerId' }),
    date(t, 'birthdate', 'Birthday', true),
    choice(t, 'gendercode', 'Gender', [option(1, 'Male'), option(2, 'Female')]),
    choice(
      t,
      'preferredcontactmethodcode',
      'Preferred Method of Contact',
      [option(1, 'Any'), option(2, 'Email'), option(3, 'Phone'), option(4, 'Fax'), option(5, 'Mail')],
      { defaultValue: 1 },
    ),
    lookup(t, 'originatingleadid', 'Originating Lead', 'lead', 'contact_originating_lead', { schemaName: 'OriginatingLeadId' }),
    choice(
      t,
      'new_preferredchannel',
      'Preferred Channel',
      [option(100000000, 'Email'), option(100000001, 'Phone'), option(100000002, 'Text message'), option(100000003, 'In person')],
      { isCustom: true, schemaName: 'new_PreferredChannel', description: 'Channel the contact prefers (custom choice column).' },
    ),
    int(t, 'new_loyaltypoints', 'Loyalty Points', 0, 1000000, { isCustom: true, schemaName: 'new_LoyaltyPoints' }),
  ],
  compute: (row) => {
    fullName(row);
    addressComposite(row, 'address1');
  },
});
