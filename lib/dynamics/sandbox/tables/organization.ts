/**
 * Tables that lookups on the Sales tables point to: systemuser, businessunit, transactioncurrency,
 * opportunity (the owner, business unit, currency and opportunity lookups of account, contact, lead,
 * salesorder and invoice).
 */
import { bool, choice, col, customer, date, dec, int, lookup, memo, money, option, str } from './columns';
import { fullName } from './contact';
import { activeInactive, defineTable } from './define-table';

export const businessunit = defineTable({
  logicalName: 'businessunit',
  displayName: 'Business Unit',
  displayCollectionName: 'Business Units',
  description: 'Business, division, or department in the Microsoft Dynamics 365 database.',
  primaryName: 'name',
  primaryNameLength: 160,
  ownership: 'BusinessOwned',
  objectTypeCode: 10,
  changeTracking: false,
  ...activeInactive,
  columns: (t) => [
    lookup(t, 'parentbusinessunitid', 'Parent Business', 'businessunit', 'business_unit_parent_business_unit', {
      schemaName: 'ParentBusinessUnitId',
    }),
    str(t, 'websiteurl', 'Website', 200),
  ],
});

export const systemuser = defineTable({
  logicalName: 'systemuser',
  displayName: 'User',
  displayCollectionName: 'Users',
  description: 'Person with access to the Microsoft CRM system and who owns objects in the Microsoft CRM database.',
  primaryName: 'fullname',
  primaryNameDeclared: true,
  ownership: 'BusinessOwned',
  objectTypeCode: 8,
  changeTracking: true,
  alternateKeys: [{ name: 'AADObjectIdKey', displayName: 'Azure AD Object ID', columns: ['azureactivedirectoryobjectid'] }],
  ...activeInactive,
  columns: (t) => [
    str(t, 'firstname', 'First Name', 256),
    str(t, 'lastname', 'Last Name', 256),
    col(t, 'fullname', 'string', 'Full Name', { maxLength: 200, isPrimaryName: true, validForCreate: false, validForUpdate: false }),
    str(t, 'domainname', 'User Name', 1024, 'SystemRequired'),
    str(t, 'internalemailaddress', 'Primary Email', 100),
    str(t, 'title', 'Title', 128),
    col(t, 'azureactivedirectoryobjectid', 'uniqueidentifier', 'Azure AD Object ID', { validForUpdate: false }),
    str(t, 'applicationid_text', 'Application ID', 100, 'None', { schemaName: 'ApplicationIdText' }),
    lookup(t, 'businessunitid', 'Business Unit', 'businessunit', 'business_unit_system_users', {
      required: 'SystemRequired',
      schemaName: 'BusinessUnitId',
    }),
    bool(t, 'isdisabled', 'Status', ['Enabled', 'Disabled'], { validForCreate: false }),
    choice(
      t,
      'accessmode',
      'Access Mode',
      [
        option(0, 'Read-Write'),
        option(1, 'Administrative'),
        option(2, 'Read'),
        option(3, 'Support User'),
        option(4, 'Non-interactive'),
        option(5, 'Delegated Admin'),
      ],
      { defaultValue: 0 },
    ),
  ],
  compute: fullName,
});

export const transactioncurrency = defineTable({
  logicalName: 'transactioncurrency',
  schemaName: 'TransactionCurrency',
  entitySetName: 'transactioncurrencies',
  displayName: 'Currency',
  displayCollectionName: 'Currencies',
  description: 'Currency in which a financial transaction is carried out.',
  primaryName: 'currencyname',
  primaryNameLength: 100,
  ownership: 'OrganizationOwned',
  objectTypeCode: 9105,
  changeTracking: false,
  alternateKeys: [{ name: 'ISOCurrencyCodeKey', displayName: 'Currency Code', columns: ['isocurrencycode'] }],
  ...activeInactive,
  columns: (t) => [
    str(t, 'isocurrencycode', 'Currency Code', 5, 'SystemRequired'),
    str(t, 'currencysymbol', 'Currency Symbol', 13, 'ApplicationRequired'),
    dec(t, 'exchangerate', 'Exchange Rate', 10, { required: 'ApplicationRequired', minValue: 0.0000000001, maxValue: 100000000000 }),
    int(t, 'currencyprecision', 'Currency Precision', 0, 4, { required: 'ApplicationRequired', defaultValue: 2 }),
  ],
});

export const opportunity = defineTable({
  logicalName: 'opportunity',
  entitySetName: 'opportunities',
  displayName: 'Opportunity',
  displayCollectionName: 'Opportunities',
  description:
    'Potential revenue-generating event, or sale to an account, which needs to be tracked through a sales process to completion.',
  primaryName: 'name',
  primaryNameLength: 300,
  ownership: 'UserOwned',
  objectTypeCode: 3,
  currency: true,
  states: [
    { value: 0, label: 'Open', defaultStatus: 1, invariantName: 'Open' },
    { value: 1, label: 'Won', defaultStatus: 3, invariantName: 'Won' },
    { value: 2, label: 'Lost', defaultStatus: 4, invariantName: 'Lost' },
  ],
  statuses: [
    { value: 1, label: 'In Progress', state: 0 },
    { value: 2, label: 'On Hold', state: 0 },
    { value: 3, label: 'Won', state: 1 },
    { value: 4, label: 'Canceled', state: 2 },
    { value: 5, label: 'Out-Sold', state: 2 },
  ],
  columns: (t) => [
    customer(t, 'customerid', 'Potential Customer', 'opportunity_customer', { schemaName: 'CustomerId' }),
    lookup(t, 'parentaccountid', 'Account', 'account', 'opportunity_parent_account', { schemaName: 'ParentAccountId' }),
    lookup(t, 'parentcontactid', 'Contact', 'contact', 'opportunity_parent_contact', { schemaName: 'ParentContactId' }),
    lookup(t, 'originatingleadid', 'Originating Lead', 'lead', 'opportunity_originating_lead', { schemaName: 'OriginatingLeadId' }),
    lookup(t, 'pricelevelid', 'Price List', 'pricelevel', 'price_level_opportunties', { schemaName: 'PriceLevelId' }),
    money(t, 'estimatedvalue', 'Est. Revenue'),
    date(t, 'estimatedclosedate', 'Est. Close Date', true),
    int(t, 'closeprobability', 'Probability', 0, 100),
    choice(t, 'opportunityratingcode', 'Rating', [option(1, 'Hot'), option(2, 'Warm'), option(3, 'Cold')], { defaultValue: 2 }),
    choice(t, 'salesstage', 'Sales Stage', [option(0, 'Qualify'), option(1, 'Develop'), option(2, 'Propose'), option(3, 'Close')], {
      defaultValue: 0,
    }),
    memo(t, 'description', 'Description', 2000),
    dec(t, 'discountpercentage', 'Opportunity Discount (%)', 2, { minValue: 0, maxValue: 100 }),
  ],
});

/** The custom table for dynamic discovery: a publisher prefix (`new_`) and IsCustomEntity true, like a maker's table. */
export const new_project = defineTable({
  logicalName: 'new_project',
  schemaName: 'new_Project',
  displayName: 'Project',
  displayCollectionName: 'Projects',
  description: 'Customer projects (custom table).',
  primaryName: 'new_name',
  primaryNameLength: 200,
  primaryNameRequired: 'ApplicationRequired',
  ownership: 'UserOwned',
  objectTypeCode: 10010,
  isCustom: true,
  currency: true,
  alternateKeys: [{ name: 'new_ProjectCodeKey', displayName: 'Project Code', columns: ['new_code'] }],
  ...activeInactive,
  columns: (t) => [
    str(t, 'new_code', 'Project Code', 20, 'None', { isCustom: true, schemaName: 'new_Code' }),
    lookup(t, 'new_accountid', 'Account', 'account', 'new_account_new_project_AccountId', { isCustom: true, schemaName: 'new_AccountId' }),
    money(t, 'new_budget', 'Budget', { isCustom: true, schemaName: 'new_Budget' }),
    date(t, 'new_startdate', 'Start Date', true, { isCustom: true, schemaName: 'new_StartDate' }),
    date(t, 'new_duedate', 'Due Date', false, { isCustom: true, schemaName: 'new_DueDate' }),
    choice(
      t,
      'new_stage',
      'Stage',
      [option(100000000, 'Planned'), option(100000001, 'In progress'), option(100000002, 'On hold'), option(100000003, 'Done')],
      { isCustom: true, schemaName: 'new_Stage', defaultValue: 100000000 },
    ),
    bool(t, 'new_highpriority', 'High Priority', ['No', 'Yes'], { isCustom: true, schemaName: 'new_HighPriority' }),
    int(t, 'new_hours', 'Estimated Hours', 0, 100000, { isCustom: true, schemaName: 'new_Hours' }),
    dec(t, 'new_completion', 'Completion (%)', 2, { isCustom: true, schemaName: 'new_Completion', minValue: 0, maxValue: 100 }),
    memo(t, 'new_notes', 'Notes', 4000, { isCustom: true, schemaName: 'new_Notes' }),
  ],
});
