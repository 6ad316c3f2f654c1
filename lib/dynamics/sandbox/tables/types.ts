/**
 * Declarative table descriptors. One descriptor drives $metadata (CSDL), EntityDefinitions
 * metadata, payload validation and serialization, so what discovery reports is what the Web API
 * enforces. Column kinds, required levels and choices follow Dataverse's column metadata and the
 * Sales table references.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/entity-attribute-metadata
 */
export type RequiredLevel = 'None' | 'SystemRequired' | 'ApplicationRequired' | 'Recommended';

export type ColumnKind =
  | 'uniqueidentifier'
  | 'string'
  | 'memo'
  | 'integer'
  | 'bigint'
  | 'decimal'
  | 'double'
  | 'money'
  | 'boolean'
  | 'datetime'
  | 'picklist'
  | 'state'
  | 'status'
  | 'lookup'
  | 'customer'
  | 'owner';

export interface ChoiceOption {
  value: number;
  label: string;
  /** Status options: the state they belong to. */
  state?: number;
  /** State options: the status applied when only statecode is written (the state's default status). */
  defaultStatus?: number;
  invariantName?: string;
}

export interface LookupTarget {
  table: string;
  /** Single-valued navigation property on the referencing table (the `@odata.bind` name). */
  navigation: string;
  /** Relationship SchemaName; also the collection-valued navigation property on the target. */
  relationship: string;
}

export interface ColumnDef {
  name: string;
  schemaName: string;
  kind: ColumnKind;
  displayName: string;
  description?: string;
  required: RequiredLevel;
  validForCreate: boolean;
  validForUpdate: boolean;
  isCustom?: boolean;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  precision?: number;
  options?: ChoiceOption[];
  optionSetName?: string;
  /** The choice's options are a global choice (`optionSetName`) that other columns share. */
  globalOptionSet?: boolean;
  /** Boolean labels [false, true]. */
  booleanLabels?: [string, string];
  /** Default written on create when the column is omitted. */
  defaultValue?: unknown;
  targets?: LookupTarget[];
  dateOnly?: boolean;
  isPrimaryId?: boolean;
  isPrimaryName?: boolean;
  /** Helper column of another (e.g. address1_composite); AttributeOf in metadata. */
  attributeOf?: string;
  metadataId: string;
}

export interface AlternateKeyDef {
  schemaName: string;
  logicalName: string;
  displayName: string;
  columns: string[];
}

export interface TableDef {
  logicalName: string;
  schemaName: string;
  entitySetName: string;
  collectionSchemaName: string;
  primaryId: string;
  primaryName: string;
  displayName: string;
  displayCollectionName: string;
  description: string;
  ownership: 'UserOwned' | 'OrganizationOwned' | 'BusinessOwned' | 'None';
  objectTypeCode: number;
  isCustom: boolean;
  changeTracking: boolean;
  alternateKeys: AlternateKeyDef[];
  columns: ColumnDef[];
  metadataId: string;
  /** Computes read-only derived columns (fullname, composite address) after every write. */
  compute?: (row: Record<string, unknown>) => void;
  /** Intersect table of a many-to-many relationship (its rows are the associations; IsIntersect in metadata). */
  intersect?: ManyToManyDef;
}

/**
 * A many-to-many relationship, as RelationshipDefinitions describes it: the two tables, the
 * intersect table with its two id columns, and the collection-valued navigation property on each side.
 */
export interface ManyToManyDef {
  schemaName: string;
  entity1: string;
  entity1Attribute: string;
  entity1Navigation: string;
  entity2: string;
  entity2Attribute: string;
  entity2Navigation: string;
}

/** A lookup value as stored: id plus the target table (customer/owner lookups have several). */
export interface LookupValue {
  id: string;
  table: string;
}

export type Row = Record<string, unknown>;
