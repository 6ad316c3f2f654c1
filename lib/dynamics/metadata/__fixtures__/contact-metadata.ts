/**
 * Raw metadata shaped like the Web API's answers (reference §4.1–4.3: labels with
 * LocalizedLabels/UserLocalizedLabel, AttributeTypeName, RequiredLevel as a managed property,
 * option sets with State/DefaultStatus, ManyToOneRelationships, Keys).
 */
import type { RawTableParts } from '../raw-types';

const label = (text: string) => ({
  LocalizedLabels: [
    { Label: text, LanguageCode: 1033, IsManaged: true, MetadataId: '2a4901bf-2241-db11-898a-0007e9e17ebd', HasChanged: null },
  ],
  UserLocalizedLabel: {
    Label: text,
    LanguageCode: 1033,
    IsManaged: true,
    MetadataId: '2a4901bf-2241-db11-898a-0007e9e17ebd',
    HasChanged: null,
  },
});
const required = (Value: string) => ({ Value, CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' });
const attr = (
  type: string,
  typeName: string,
  LogicalName: string,
  SchemaName: string,
  display: string,
  extra: Record<string, unknown> = {},
) => ({
  '@odata.type': `#Microsoft.Dynamics.CRM.${type}AttributeMetadata`,
  LogicalName,
  SchemaName,
  AttributeType: type,
  AttributeTypeName: { Value: typeName },
  AttributeOf: null,
  IsCustomAttribute: false,
  IsPrimaryId: false,
  IsPrimaryName: false,
  IsValidForCreate: true,
  IsValidForUpdate: true,
  IsValidForRead: true,
  RequiredLevel: required('None'),
  MetadataId: `00000000-0000-0000-0000-${LogicalName.length.toString().padStart(12, '0')}`,
  DisplayName: label(display),
  Description: { LocalizedLabels: [], UserLocalizedLabel: null },
  ...extra,
});
const option = (Value: number, text: string, extra: Record<string, unknown> = {}) => ({
  Value,
  Color: null,
  IsManaged: true,
  ExternalValue: null,
  ParentValues: [],
  Tag: null,
  IsHidden: false,
  Label: label(text),
  Description: { LocalizedLabels: [], UserLocalizedLabel: null },
  ...extra,
});

export const contactEntity = {
  MetadataId: '608861bc-50a4-4c5f-a02c-21fe1943e2cf',
  LogicalName: 'contact',
  SchemaName: 'Contact',
  EntitySetName: 'contacts',
  PrimaryIdAttribute: 'contactid',
  PrimaryNameAttribute: 'fullname',
  DisplayName: label('Contact'),
  DisplayCollectionName: label('Contacts'),
  Description: label('Person with whom a business unit has a relationship.'),
  IsCustomEntity: false,
  OwnershipType: 'UserOwned',
  ChangeTrackingEnabled: true,
  IsIntersect: false,
  IsPrivate: false,
  IsLogicalEntity: false,
};

export const contactParts = {
  entity: contactEntity,
  attributes: [
    attr('Uniqueidentifier', 'UniqueidentifierType', 'contactid', 'ContactId', 'Contact', {
      IsPrimaryId: true,
      IsValidForUpdate: false,
      RequiredLevel: required('SystemRequired'),
    }),
    attr('String', 'StringType', 'lastname', 'LastName', 'Last Name', {
      MaxLength: 50,
      FormatName: { Value: 'Text' },
      RequiredLevel: required('ApplicationRequired'),
    }),
    attr('String', 'StringType', 'firstname', 'FirstName', 'First Name', { MaxLength: 50, RequiredLevel: required('Recommended') }),
    attr('String', 'StringType', 'fullname', 'FullName', 'Full Name', {
      MaxLength: 160,
      IsPrimaryName: true,
      IsValidForCreate: false,
      IsValidForUpdate: false,
    }),
    attr('String', 'StringType', 'emailaddress1', 'EMailAddress1', 'Email', { MaxLength: 100 }),
    attr('Memo', 'MemoType', 'address1_composite', 'Address1_Composite', 'Address 1', { MaxLength: 1000, AttributeOf: 'address1_line1' }),
    attr('String', 'StringType', 'parentcustomeridname', 'ParentCustomerIdName', 'Parent name', {
      MaxLength: 160,
      AttributeOf: 'parentcustomerid',
    }),
    attr('Customer', 'CustomerType', 'parentcustomerid', 'ParentCustomerId', 'Company Name', { Targets: ['account', 'contact'] }),
    attr('Owner', 'OwnerType', 'ownerid', 'OwnerId', 'Owner', {
      Targets: ['systemuser', 'team'],
      RequiredLevel: required('SystemRequired'),
    }),
    attr('Lookup', 'LookupType', 'originatingleadid', 'OriginatingLeadId', 'Originating Lead', { Targets: ['lead'] }),
    attr('DateTime', 'DateTimeType', 'birthdate', 'BirthDate', 'Birthday', { Format: 'DateOnly', DateTimeBehavior: { Value: 'DateOnly' } }),
    attr('DateTime', 'DateTimeType', 'modifiedon', 'ModifiedOn', 'Modified On', {
      Format: 'DateAndTime',
      IsValidForCreate: false,
      IsValidForUpdate: false,
    }),
    attr('Integer', 'IntegerType', 'new_loyaltypoints', 'new_LoyaltyPoints', 'Loyalty Points', {
      MinValue: 0,
      MaxValue: 1000000,
      IsCustomAttribute: true,
    }),
    attr('Money', 'MoneyType', 'annualincome', 'AnnualIncome', 'Annual Income', { Precision: 2, MinValue: 0, MaxValue: 100000000000000 }),
    attr('Boolean', 'BooleanType', 'donotemail', 'DoNotEMail', 'Do not allow Emails'),
    attr('Picklist', 'PicklistType', 'gendercode', 'GenderCode', 'Gender'),
    attr('Picklist', 'PicklistType', 'new_preferredchannel', 'new_PreferredChannel', 'Preferred Channel', { IsCustomAttribute: true }),
    attr('State', 'StateType', 'statecode', 'StateCode', 'Status', {
      IsValidForCreate: false,
      RequiredLevel: { Value: 'SystemRequired', CanBeChanged: false },
    }),
    attr('Status', 'StatusType', 'statuscode', 'StatusCode', 'Status Reason'),
    attr('Virtual', 'ImageType', 'entityimage', 'EntityImage', 'Entity Image'),
    attr('EntityName', 'EntityNameType', 'parentcustomeridtype', 'ParentCustomerIdType', 'Parent type'),
  ],
  enumAttributes: [
    {
      LogicalName: 'gendercode',
      OptionSet: { Name: 'contact_gendercode', OptionSetType: 'Picklist', Options: [option(1, 'Male'), option(2, 'Female')] },
    },
    {
      LogicalName: 'new_preferredchannel',
      OptionSet: null,
      GlobalOptionSet: {
        Name: 'new_channel',
        IsGlobal: true,
        OptionSetType: 'Picklist',
        Options: [option(100000000, 'Email'), option(100000001, 'Phone'), option(100000002, 'Text message', { IsHidden: false })],
      },
    },
    {
      LogicalName: 'statecode',
      OptionSet: {
        Name: 'contact_statecode',
        OptionSetType: 'State',
        Options: [
          option(0, 'Active', { '@odata.type': '#Microsoft.Dynamics.CRM.StateOptionMetadata', DefaultStatus: 1, InvariantName: 'Active' }),
          option(1, 'Inactive', {
            '@odata.type': '#Microsoft.Dynamics.CRM.StateOptionMetadata',
            DefaultStatus: 2,
            InvariantName: 'Inactive',
          }),
        ],
      },
    },
    {
      LogicalName: 'statuscode',
      OptionSet: {
        Name: 'contact_statuscode',
        OptionSetType: 'Status',
        Options: [
          option(1, 'Active', { '@odata.type': '#Microsoft.Dynamics.CRM.StatusOptionMetadata', State: 0, TransitionData: null }),
          option(2, 'Inactive', { '@odata.type': '#Microsoft.Dynamics.CRM.StatusOptionMetadata', State: 1, TransitionData: null }),
        ],
      },
    },
    {
      LogicalName: 'donotemail',
      OptionSet: {
        Name: 'contact_donotemail',
        OptionSetType: 'Boolean',
        TrueOption: option(1, 'Do Not Allow'),
        FalseOption: option(0, 'Allow'),
      },
    },
  ],
  relationships: [
    {
      SchemaName: 'contact_customer_accounts',
      ReferencingAttribute: 'parentcustomerid',
      ReferencedEntity: 'account',
      ReferencingEntityNavigationPropertyName: 'parentcustomerid_account',
    },
    {
      SchemaName: 'contact_customer_contacts',
      ReferencingAttribute: 'parentcustomerid',
      ReferencedEntity: 'contact',
      ReferencingEntityNavigationPropertyName: 'parentcustomerid_contact',
    },
    {
      SchemaName: 'owner_contacts',
      ReferencingAttribute: 'ownerid',
      ReferencedEntity: 'owner',
      ReferencingEntityNavigationPropertyName: 'ownerid',
    },
    {
      SchemaName: 'contact_originating_lead',
      ReferencingAttribute: 'originatingleadid',
      ReferencedEntity: 'lead',
      ReferencingEntityNavigationPropertyName: 'originatingleadid',
    },
  ],
  keys: [
    {
      LogicalName: 'emailaddresskey',
      SchemaName: 'EmailAddressKey',
      KeyAttributes: ['emailaddress1'],
      DisplayName: label('Email'),
      EntityKeyIndexStatus: 'Active',
    },
    {
      LogicalName: 'pendingkey',
      SchemaName: 'PendingKey',
      KeyAttributes: ['lastname'],
      DisplayName: label('Pending'),
      EntityKeyIndexStatus: 'Pending',
    },
  ],
} satisfies RawTableParts;

export const entityList = {
  '@odata.context': 'https://org.crm.dynamics.com/api/data/v9.2/$metadata#EntityDefinitions(LogicalName,SchemaName,EntitySetName)',
  value: [
    contactEntity,
    {
      ...contactEntity,
      LogicalName: 'account',
      SchemaName: 'Account',
      EntitySetName: 'accounts',
      PrimaryIdAttribute: 'accountid',
      PrimaryNameAttribute: 'name',
      DisplayName: label('Account'),
      DisplayCollectionName: label('Accounts'),
    },
    {
      ...contactEntity,
      LogicalName: 'new_project',
      SchemaName: 'new_Project',
      EntitySetName: 'new_projects',
      PrimaryIdAttribute: 'new_projectid',
      PrimaryNameAttribute: 'new_name',
      IsCustomEntity: true,
      ChangeTrackingEnabled: false,
      DisplayName: label('Project'),
      DisplayCollectionName: label('Projects'),
    },
    {
      ...contactEntity,
      LogicalName: 'accountleads',
      SchemaName: 'AccountLeads',
      EntitySetName: 'accountleadscollection',
      PrimaryIdAttribute: 'accountleadid',
      IsIntersect: true,
    },
    {
      ...contactEntity,
      LogicalName: 'privatething',
      SchemaName: 'PrivateThing',
      EntitySetName: 'privatethings',
      PrimaryIdAttribute: 'privatethingid',
      IsPrivate: true,
    },
    { ...contactEntity, LogicalName: 'noset', SchemaName: 'NoSet', EntitySetName: null, PrimaryIdAttribute: 'nosetid' },
    { ...contactEntity, LogicalName: "bad')name", SchemaName: 'Bad', EntitySetName: 'bads', PrimaryIdAttribute: 'badid' },
  ],
};
