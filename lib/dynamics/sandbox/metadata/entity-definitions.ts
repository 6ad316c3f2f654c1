/**
 * EntityDefinitions metadata built from the table descriptors: EntityMetadata, AttributeMetadata in
 * its derived types (`#Microsoft.Dynamics.CRM.PicklistAttributeMetadata`, …) with AttributeType /
 * AttributeTypeName / RequiredLevel / IsValidForCreate…, OptionSet objects for choices, state,
 * status and yes/no columns, relationships with navigation property names, and alternate keys.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/entity-attribute-metadata
 */
import { lookupProp, type ManyToManyRelationship, type Relationship, type Schema, type TableInfo } from '../model/schema';
import { stableGuid } from '../tables/columns';
import type { ColumnDef, TableDef } from '../tables/types';
import { label, managed } from './labels';

type Json = Record<string, unknown>;

const TYPES: Record<ColumnDef['kind'], [string, string, string]> = {
  uniqueidentifier: ['UniqueIdentifierAttributeMetadata', 'Uniqueidentifier', 'UniqueidentifierType'],
  string: ['StringAttributeMetadata', 'String', 'StringType'],
  memo: ['MemoAttributeMetadata', 'Memo', 'MemoType'],
  integer: ['IntegerAttributeMetadata', 'Integer', 'IntegerType'],
  bigint: ['BigIntAttributeMetadata', 'BigInt', 'BigIntType'],
  decimal: ['DecimalAttributeMetadata', 'Decimal', 'DecimalType'],
  double: ['DoubleAttributeMetadata', 'Double', 'DoubleType'],
  money: ['MoneyAttributeMetadata', 'Money', 'MoneyType'],
  boolean: ['BooleanAttributeMetadata', 'Boolean', 'BooleanType'],
  datetime: ['DateTimeAttributeMetadata', 'DateTime', 'DateTimeType'],
  picklist: ['PicklistAttributeMetadata', 'Picklist', 'PicklistType'],
  state: ['StateAttributeMetadata', 'State', 'StateType'],
  status: ['StatusAttributeMetadata', 'Status', 'StatusType'],
  lookup: ['LookupAttributeMetadata', 'Lookup', 'LookupType'],
  customer: ['LookupAttributeMetadata', 'Customer', 'CustomerType'],
  owner: ['LookupAttributeMetadata', 'Owner', 'OwnerType'],
};

export function castNameOf(c: ColumnDef): string {
  return TYPES[c.kind][0];
}

/** Properties every AttributeMetadata has (what `$select` accepts without a cast). */
export const BASE_ATTRIBUTE_PROPS = [
  'MetadataId',
  'HasChanged',
  'AttributeOf',
  'AttributeType',
  'AttributeTypeName',
  'ColumnNumber',
  'Description',
  'DisplayName',
  'EntityLogicalName',
  'IntroducedVersion',
  'IsCustomAttribute',
  'IsPrimaryId',
  'IsPrimaryName',
  'IsValidForCreate',
  'IsValidForRead',
  'IsValidForUpdate',
  'IsValidForAdvancedFind',
  'IsLogical',
  'IsManaged',
  'IsSearchable',
  'IsFilterable',
  'IsRetrievable',
  'IsAuditEnabled',
  'IsCustomizable',
  'IsRequiredForForm',
  'IsValidODataAttribute',
  'LogicalName',
  'SchemaName',
  'RequiredLevel',
  'SourceType',
  'ExternalName',
];

export function optionSetOf(table: TableDef, c: ColumnDef): Json | null {
  const base = {
    MetadataId: c.globalOptionSet
      ? stableGuid('optionset', 'global', c.optionSetName ?? c.name)
      : stableGuid('optionset', table.logicalName, c.name),
    HasChanged: null,
    IsCustomOptionSet: c.isCustom === true,
    IsGlobal: c.globalOptionSet === true,
    IsManaged: !c.isCustom,
    Name: c.optionSetName ?? `${table.logicalName}_${c.name}`,
    ExternalTypeName: null,
    Description: label(undefined),
    DisplayName: c.globalOptionSet
      ? label(c.displayName, 'global', c.optionSetName ?? c.name, 'optionset')
      : label(c.displayName, table.logicalName, c.name, 'optionset'),
    IsCustomizable: managed(true, 'iscustomizable'),
  };
  const opt = (o: { value: number; label: string }, extra: Json = {}): Json => ({
    ...extra,
    Value: o.value,
    Color: null,
    IsManaged: !c.isCustom,
    ExternalValue: null,
    ParentValues: [],
    Tag: null,
    IsHidden: false,
    MetadataId: null,
    HasChanged: null,
    Label: label(o.label, table.logicalName, c.name, String(o.value)),
    Description: label(undefined),
  });
  if (c.kind === 'boolean') {
    const [f, t] = c.booleanLabels ?? ['No', 'Yes'];
    return { ...base, OptionSetType: 'Boolean', TrueOption: opt({ value: 1, label: t }), FalseOption: opt({ value: 0, label: f }) };
  }
  if (c.kind === 'state') {
    return {
      ...base,
      OptionSetType: 'State',
      Options: (c.options ?? []).map((o) =>
        opt(o, {
          '@odata.type': '#Microsoft.Dynamics.CRM.StateOptionMetadata',
          DefaultStatus: o.defaultStatus ?? null,
          InvariantName: o.invariantName ?? o.label,
        }),
      ),
    };
  }
  if (c.kind === 'status') {
    return {
      ...base,
      OptionSetType: 'Status',
      Options: (c.options ?? []).map((o) =>
        opt(o, { '@odata.type': '#Microsoft.Dynamics.CRM.StatusOptionMetadata', State: o.state ?? 0, TransitionData: null }),
      ),
    };
  }
  if (c.kind === 'picklist') return { ...base, OptionSetType: 'Picklist', Options: (c.options ?? []).map((o) => opt(o)) };
  return null;
}

export function attributeMetadata(table: TableDef, c: ColumnDef, columnNumber: number): Json {
  const [cast, type, typeName] = TYPES[c.kind];
  const a: Json = {
    '@odata.type': `#Microsoft.Dynamics.CRM.${cast}`,
    MetadataId: c.metadataId,
    HasChanged: null,
    AttributeOf: c.attributeOf ?? null,
    AttributeType: type,
    ColumnNumber: columnNumber,
    EntityLogicalName: table.logicalName,
    IntroducedVersion: c.isCustom ? '1.0' : '5.0.0.0',
    IsCustomAttribute: c.isCustom === true,
    IsPrimaryId: c.isPrimaryId === true,
    IsPrimaryName: c.isPrimaryName === true,
    IsValidForCreate: c.validForCreate,
    IsValidForRead: true,
    IsValidForUpdate: c.validForUpdate,
    IsLogical: false,
    IsManaged: !c.isCustom,
    IsFilterable: true,
    IsSearchable: true,
    IsRetrievable: true,
    IsValidODataAttribute: true,
    IsRequiredForForm: c.required === 'SystemRequired',
    LogicalName: c.name,
    SchemaName: c.schemaName,
    ExternalName: null,
    SourceType: 0,
    AttributeTypeName: { Value: typeName },
    Description: label(c.description, table.logicalName, c.name, 'description'),
    DisplayName: label(c.displayName, table.logicalName, c.name),
    IsAuditEnabled: managed(true, 'canmodifyauditsettings'),
    IsCustomizable: managed(true, 'iscustomizable'),
    IsValidForAdvancedFind: managed(true, 'canmodifysearchsettings'),
    RequiredLevel: {
      Value: c.required,
      CanBeChanged: c.required !== 'SystemRequired',
      ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings',
    },
  };
  switch (c.kind) {
    case 'string':
      Object.assign(a, {
        MaxLength: c.maxLength ?? 100,
        DatabaseLength: (c.maxLength ?? 100) * 2,
        Format: c.name.includes('email') ? 'Email' : c.name.includes('url') ? 'Url' : 'Text',
        FormatName: { Value: c.name.includes('email') ? 'Email' : c.name.includes('url') ? 'Url' : 'Text' },
        IsLocalizable: false,
        YomiOf: null,
      });
      break;
    case 'memo':
      Object.assign(a, {
        MaxLength: c.maxLength ?? 2000,
        DatabaseLength: (c.maxLength ?? 2000) * 2,
        Format: 'TextArea',
        FormatName: { Value: 'TextArea' },
        IsLocalizable: false,
      });
      break;
    case 'integer':
      Object.assign(a, { MinValue: c.minValue ?? -2147483648, MaxValue: c.maxValue ?? 2147483647, Format: 'None' });
      break;
    case 'bigint':
      Object.assign(a, { MinValue: Number.MIN_SAFE_INTEGER, MaxValue: Number.MAX_SAFE_INTEGER });
      break;
    case 'decimal':
      Object.assign(a, { MinValue: c.minValue ?? -100000000000, MaxValue: c.maxValue ?? 100000000000, Precision: c.precision ?? 2 });
      break;
    case 'double':
      Object.assign(a, { MinValue: c.minValue ?? -100000000000, MaxValue: c.maxValue ?? 100000000000, Precision: c.precision ?? 2 });
      break;
    case 'money':
      Object.assign(a, {
        MinValue: c.minValue ?? -922337203685477,
        MaxValue: c.maxValue ?? 922337203685477,
        Precision: c.precision ?? 2,
        PrecisionSource: 2,
        IsBaseCurrency: false,
        CalculationOf: null,
      });
      break;
    case 'boolean':
      Object.assign(a, { DefaultValue: c.defaultValue === true });
      break;
    case 'datetime':
      Object.assign(a, {
        Format: c.dateOnly ? 'DateOnly' : 'DateAndTime',
        DateTimeBehavior: { Value: c.dateOnly ? 'DateOnly' : 'UserLocal' },
        CanChangeDateTimeBehavior: managed(!c.dateOnly, 'canchangedatetimebehavior'),
        MinSupportedValue: '1753-01-01T00:00:00Z',
        MaxSupportedValue: '9999-12-30T23:59:59Z',
      });
      break;
    case 'picklist':
    case 'status':
      Object.assign(a, { DefaultFormValue: typeof c.defaultValue === 'number' ? c.defaultValue : -1, OptionSetId: null });
      break;
    case 'state':
      Object.assign(a, { DefaultFormValue: table.logicalName === 'product' ? 2 : 0 });
      break;
    case 'lookup':
    case 'customer':
    case 'owner':
      Object.assign(a, { Targets: (c.targets ?? []).map((t) => t.table), Format: 'None' });
      break;
  }
  return a;
}

function relationshipMetadata(r: Relationship, kind: 'OneToMany' | 'ManyToOne'): Json {
  void kind;
  return {
    MetadataId: r.metadataId,
    HasChanged: null,
    SchemaName: r.schemaName,
    IsCustomRelationship: r.isCustom,
    IsValidForAdvancedFind: true,
    IsManaged: !r.isCustom,
    RelationshipType: 'OneToManyRelationship',
    SecurityTypes: 'None',
    IntroducedVersion: r.isCustom ? '1.0' : '5.0.0.0',
    IsHierarchical: false,
    ReferencedAttribute: r.referencedAttribute,
    ReferencedEntity: r.referencedEntity,
    ReferencingAttribute: r.referencingAttribute,
    ReferencingEntity: r.referencingEntity,
    ReferencedEntityNavigationPropertyName: r.referencedNavigation,
    ReferencingEntityNavigationPropertyName: r.referencingNavigation,
    RelationshipBehavior: 0,
    IsCustomizable: managed(true, 'iscustomizable'),
    CascadeConfiguration: {
      Assign: 'NoCascade',
      Delete: 'RemoveLink',
      Merge: 'NoCascade',
      Reparent: 'NoCascade',
      Share: 'NoCascade',
      Unshare: 'NoCascade',
      RollupView: 'NoCascade',
    },
    AssociatedMenuConfiguration: {
      Behavior: 'UseCollectionName',
      Group: 'Details',
      Label: label(undefined),
      Order: 10000,
      IsCustomizable: true,
      Icon: null,
      ViewId: '00000000-0000-0000-0000-000000000000',
      AvailableOffline: true,
      MenuId: null,
      QueryApi: null,
    },
  };
}

/**
 * ManyToManyRelationshipMetadata, as `RelationshipDefinitions` and `ManyToManyRelationships` return it
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api#querying-relationship-definitions).
 */
export function manyToManyMetadata(r: ManyToManyRelationship): Json {
  return {
    '@odata.type': '#Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata',
    MetadataId: r.metadataId,
    HasChanged: null,
    SchemaName: r.schemaName,
    IsCustomRelationship: r.isCustom,
    IsValidForAdvancedFind: true,
    IsManaged: !r.isCustom,
    RelationshipType: 'ManyToManyRelationship',
    SecurityTypes: 'Append',
    IntroducedVersion: r.isCustom ? '1.0' : '5.0.0.0',
    Entity1LogicalName: r.entity1,
    Entity2LogicalName: r.entity2,
    IntersectEntityName: r.intersect,
    Entity1IntersectAttribute: r.entity1Attribute,
    Entity2IntersectAttribute: r.entity2Attribute,
    Entity1NavigationPropertyName: r.entity1Navigation,
    Entity2NavigationPropertyName: r.entity2Navigation,
    IsCustomizable: managed(true, 'iscustomizable'),
    Entity1AssociatedMenuConfiguration: { Behavior: 'UseLabel', Group: 'Details', Label: label(undefined), Order: 10000 },
    Entity2AssociatedMenuConfiguration: { Behavior: 'UseLabel', Group: 'Details', Label: label(undefined), Order: 10000 },
  };
}

/**
 * The global choices the tables use, once each (`GlobalOptionSetDefinitions`), with their options
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api#retrieving-global-option-sets).
 */
export function globalOptionSets(schema: Schema): Json[] {
  const byName = new Map<string, Json>();
  for (const info of schema.tables.values())
    for (const c of info.def.columns) {
      if (!c.globalOptionSet || byName.has(c.optionSetName ?? c.name)) continue;
      const os = optionSetOf(info.def, c);
      if (os) byName.set(c.optionSetName ?? c.name, { '@odata.type': '#Microsoft.Dynamics.CRM.OptionSetMetadata', ...os });
    }
  return [...byName.values()];
}

export interface EntityMetadataBundle {
  entity: Json;
  attributes: Json[];
  optionSets: Map<string, Json>;
  manyToOne: Json[];
  oneToMany: Json[];
  manyToMany: Json[];
  keys: Json[];
}

/** Built once per organization schema: what discovery reports is that organization's own tables. */
const cache = new WeakMap<Schema, Map<string, EntityMetadataBundle>>();

export function entityMetadata(schema: Schema): Map<string, EntityMetadataBundle> {
  const hit = cache.get(schema);
  if (hit) return hit;
  const bundles = new Map<string, EntityMetadataBundle>();
  for (const info of schema.tables.values()) bundles.set(info.name, build(info, schema.relationships, schema.manyToMany));
  cache.set(schema, bundles);
  return bundles;
}

function build(info: TableInfo, relationships: Relationship[], manyToManyAll: ManyToManyRelationship[]): EntityMetadataBundle {
  const t = info.def;
  const entity: Json = {
    MetadataId: t.metadataId,
    HasChanged: null,
    LogicalName: t.logicalName,
    SchemaName: t.schemaName,
    EntitySetName: t.entitySetName,
    LogicalCollectionName: t.entitySetName,
    CollectionSchemaName: t.collectionSchemaName,
    PrimaryIdAttribute: t.primaryId,
    PrimaryNameAttribute: t.primaryName,
    PrimaryImageAttribute: null,
    ObjectTypeCode: t.objectTypeCode,
    OwnershipType: t.ownership === 'None' ? 'None' : t.ownership,
    IsCustomEntity: t.isCustom,
    IsManaged: !t.isCustom,
    IsActivity: false,
    IsIntersect: t.intersect !== undefined,
    IsLogicalEntity: false,
    IsPrivate: false,
    IsValidForAdvancedFind: true,
    IsValidForQueue: false,
    IsOptimisticConcurrencyEnabled: true,
    ChangeTrackingEnabled: t.changeTracking,
    IsStateModelAware: true,
    IsBusinessProcessEnabled: false,
    HasNotes: false,
    HasActivities: false,
    IntroducedVersion: t.isCustom ? '1.0' : '5.0.0.0',
    EntityColor: null,
    TableType: 'Standard',
    Description: label(t.description, t.logicalName, 'description'),
    DisplayName: label(t.displayName, t.logicalName),
    DisplayCollectionName: label(t.displayCollectionName, t.logicalName, 'collection'),
    CanChangeTrackingBeEnabled: managed(true, 'canchangetrackingbeenabled'),
    CanCreateAttributes: managed(true, 'cancreateattributes'),
    IsAuditEnabled: managed(true, 'canmodifyauditsettings'),
    IsCustomizable: managed(true, 'iscustomizable'),
  };
  const attributes = t.columns.map((c, i) => attributeMetadata(t, c, i + 1));
  const optionSets = new Map<string, Json>();
  for (const c of t.columns) {
    const os = optionSetOf(t, c);
    if (os) optionSets.set(c.name, os);
  }
  const manyToOne = relationships.filter((r) => r.referencingEntity === t.logicalName).map((r) => relationshipMetadata(r, 'ManyToOne'));
  const oneToMany = relationships.filter((r) => r.referencedEntity === t.logicalName).map((r) => relationshipMetadata(r, 'OneToMany'));
  const manyToMany = manyToManyAll
    .filter((r) => r.entity1 === t.logicalName || r.entity2 === t.logicalName)
    .map((r) => manyToManyMetadata(r));
  const keys = t.alternateKeys.map((k) => ({
    MetadataId: stableGuid('key', t.logicalName, k.logicalName),
    HasChanged: null,
    LogicalName: k.logicalName,
    SchemaName: k.schemaName,
    EntityLogicalName: t.logicalName,
    KeyAttributes: k.columns,
    DisplayName: label(k.displayName, t.logicalName, 'key', k.logicalName),
    EntityKeyIndexStatus: 'Active',
    IsManaged: false,
    IsCustomizable: managed(true, 'iscustomizable'),
    IntroducedVersion: '1.0',
    IsExportKey: false,
    IsSecondaryKey: false,
    AsyncJob: null,
  }));
  void lookupProp;
  return { entity, attributes, optionSets, manyToOne, oneToMany, manyToMany, keys };
}
