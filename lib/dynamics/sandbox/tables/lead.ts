/**
 * lead: statecode is not valid for create; states Open/Qualified/Disqualified.
 *
 * Learn: https://learn.microsoft.com/dynamics365/sales/developer/entities/lead
 */
import { choice, col, customer, lookup, memo, money, option, str } from './columns';
import { fullName } from './contact';
import { defineTable } from './define-table';

export const lead = defineTable({
  logicalName: 'lead',
  displayName: 'Lead',
  displayCollectionName: 'Leads',
  description: 'Prospect or potential sales opportunity.',
  primaryName: 'fullname',
  primaryNameDeclared: true,
  ownership: 'UserOwned',
  objectTypeCode: 4,
  currency: true,
  stateValidForCreate: false,
  states: [
    { value: 0, label: 'Open', defaultStatus: 1, invariantName: 'Open' },
    { value: 1, label: 'Qualified', defaultStatus: 3, invariantName: 'Qualified' },
    { value: 2, label: 'Disqualified', defaultStatus: 4, invariantName: 'Disqualified' },
  ],
  statuses: [
    { value: 1, label: 'New', state: 0 },
    { value: 2, label: 'Contacted', state: 0 },
    { value: 3, label: 'Qualified', state: 1 },
    { value: 4, label: 'Lost', state: 2 },
    { value: 5, label: 'Cannot Contact', state: 2 },
    { value: 6, label: 'No Longer Interested', state: 2 },
    { value: 7, label: 'Canceled', state: 2 },
  ],
  columns: (t) => [
    str(t, 'subject', 'Topic', 300, 'ApplicationRequired'),
    str(t, 'firstname', 'First Name', 50, 'Recommended'),
    str(t, 'lastname', 'Last Name', 50, 'ApplicationRequired'),
    col(t, 'fullname', 'string', 'Name', { maxLength: 160, isPrimaryName: true, validForCreate: false, validForUpdate: false }),
    str(t, 'companyname', 'Company Name', 100, 'Recommended'),
    str(t, 'emailaddress1', 'Email', 100),
    str(t, 'telephone1', 'Business Phone', 50),
    str(t, 'mobilephone', 'Mobile Phone', 20),
    str(t, 'jobtitle', 'Job Title', 100),
    str(t, 'websiteurl', 'Website', 200),
    memo(t, 'description', 'Description', 2000),
    money(t, 'revenue', 'Annual Revenue'),
    choice(t, 'leadsourcecode', 'Lead Source', [
      option(1, 'Advertisement'),
      option(2, 'Employee Referral'),
      option(3, 'External Referral'),
      option(4, 'Partner'),
      option(5, 'Public Relations'),
      option(6, 'Seminar'),
      option(7, 'Trade Show'),
      option(8, 'Web'),
      option(9, 'Word of Mouth'),
      option(10, 'Other'),
    ]),
    choice(t, 'leadqualitycode', 'Rating', [option(1, 'Hot'), option(2, 'Warm'), option(3, 'Cold')], { defaultValue: 2 }),
    choice(t, 'industrycode', 'Industry', [
      option(1, 'Accounting'),
      option(6, 'Business Services'),
      option(7, 'Consulting'),
      option(8, 'Consumer Services'),
    ]),
    lookup(t, 'parentaccountid', 'Parent Account for lead', 'account', 'account_originating_leads', { schemaName: 'ParentAccountId' }),
    lookup(t, 'parentcontactid', 'Parent Contact for lead', 'contact', 'contact_originating_leads', { schemaName: 'ParentContactId' }),
    customer(t, 'customerid', 'Customer', 'lead_customer', { schemaName: 'CustomerId' }),
  ],
  compute: fullName,
});
