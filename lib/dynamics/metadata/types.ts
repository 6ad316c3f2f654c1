/**
 * Our own, normalized view of a Dataverse organization's metadata: what discovery
 * (lib/dynamics/metadata) produces and what the connector (lib/dynamics/connector) consumes.
 * Raw Web API shapes stay in `raw-types.ts`; nothing outside this folder reads them.
 */

export type RequiredLevel = 'None' | 'SystemRequired' | 'ApplicationRequired' | 'Recommended';

/** Column types the connector can read and write (from the column metadata's AttributeTypeName). */
export type ColumnType =
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
  | 'choice'
  | 'multichoice'
  | 'state'
  | 'status'
  | 'lookup'
  | 'customer'
  | 'owner';

export interface ChoiceOption {
  value: number;
  label: string;
  /** Status options: the statecode this status belongs to. */
  state?: number;
  /** State options: the status Dataverse applies when only statecode is written. */
  defaultStatus?: number;
}

export interface LookupTarget {
  /** Logical name of the referenced table, e.g. `account`. */
  table: string;
  /** Single-valued navigation property for `<nav>@odata.bind`, e.g. `parentcustomerid_account`. */
  navigationProperty: string;
}

export interface ColumnSchema {
  logicalName: string;
  schemaName: string;
  displayName: string;
  description?: string;
  type: ColumnType;
  requiredLevel: RequiredLevel;
  validForCreate: boolean;
  validForUpdate: boolean;
  validForRead: boolean;
  isCustom: boolean;
  isPrimaryId: boolean;
  isPrimaryName: boolean;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  precision?: number;
  /** DateTime columns with the DateOnly format/behaviour: written as `YYYY-MM-DD`. */
  dateOnly?: boolean;
  /** Choice, multi-choice, state, status and boolean (false = 0, true = 1) options. */
  choices?: ChoiceOption[];
  /** Lookup, customer and owner columns. */
  targets?: LookupTarget[];
}

export interface AlternateKey {
  logicalName: string;
  schemaName: string;
  displayName: string;
  /** Logical names of the key's columns. */
  columns: string[];
}

export type Ownership = 'UserOwned' | 'OrganizationOwned' | 'BusinessOwned' | 'None';

/** A table as listed by discovery, before its columns are fetched. */
export interface TableSummary {
  logicalName: string;
  schemaName: string;
  entitySetName: string;
  displayName: string;
  displayCollectionName: string;
  description: string;
  primaryIdAttribute: string;
  primaryNameAttribute: string | null;
  isCustom: boolean;
  ownership: Ownership;
  changeTrackingEnabled: boolean;
}

/** A many-to-many relationship as seen from one of its tables (RelationshipDefinitions' ManyToManyRelationshipMetadata). */
export interface ManyToManyRelationship {
  schemaName: string;
  /** Logical name of the table on the other side. */
  relatedTable: string;
  /** This table's collection-valued navigation property for the relationship (`<nav>/$ref`). */
  navigationProperty: string;
  intersectTable: string;
}

export interface TableSchema extends TableSummary {
  columns: ColumnSchema[];
  alternateKeys: AlternateKey[];
  /** The table's many-to-many relationships; absent in metadata discovered before they were. */
  manyToMany?: ManyToManyRelationship[];
}

/** Every usable table of one account, sorted by logical name. */
export interface TableDirectory {
  tables: TableSummary[];
}
