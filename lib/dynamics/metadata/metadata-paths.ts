/**
 * Metadata query paths, relative to the Web API root, built only from validated logical names so
 * nothing from a server or a user becomes query text. Learn:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
 */
import { assertLogicalName } from './names';

export const ENTITY_PROPERTIES = [
  'LogicalName',
  'SchemaName',
  'EntitySetName',
  'PrimaryIdAttribute',
  'PrimaryNameAttribute',
  'DisplayName',
  'DisplayCollectionName',
  'Description',
  'IsCustomEntity',
  'OwnershipType',
  'ChangeTrackingEnabled',
  'IsIntersect',
  'IsPrivate',
  'IsLogicalEntity',
] as const;

/** Casts whose OptionSet we expand; `OptionSet` cannot be selected on the base AttributeMetadata. */
export const ENUM_ATTRIBUTE_CASTS = [
  'PicklistAttributeMetadata',
  'MultiSelectPicklistAttributeMetadata',
  'StateAttributeMetadata',
  'StatusAttributeMetadata',
  'BooleanAttributeMetadata',
] as const;
export type EnumAttributeCast = (typeof ENUM_ATTRIBUTE_CASTS)[number];

const entity = (table: string) => `EntityDefinitions(LogicalName='${assertLogicalName(table)}')`;

export const metadataPaths = {
  /** Every table; metadata queries are never paged (all matches come back in one answer). */
  tables: () => `EntityDefinitions?$select=${ENTITY_PROPERTIES.join(',')}`,
  table: (table: string) => `${entity(table)}?$select=${ENTITY_PROPERTIES.join(',')}`,
  /** No $select: MaxLength, Targets, Format… live on derived types and come back only unselected. */
  attributes: (table: string) => `${entity(table)}/Attributes`,
  enumAttributes: (table: string, cast: EnumAttributeCast) =>
    `${entity(table)}/Attributes/Microsoft.Dynamics.CRM.${cast}?$select=LogicalName&$expand=OptionSet`,
  manyToOne: (table: string) =>
    `${entity(table)}/ManyToOneRelationships?$select=SchemaName,ReferencingAttribute,ReferencedEntity,ReferencingEntityNavigationPropertyName`,
  manyToMany: (table: string) =>
    `${entity(table)}/ManyToManyRelationships?$select=SchemaName,Entity1LogicalName,Entity2LogicalName,IntersectEntityName,Entity1NavigationPropertyName,Entity2NavigationPropertyName`,
  keys: (table: string) => `${entity(table)}/Keys?$select=LogicalName,SchemaName,KeyAttributes,DisplayName,EntityKeyIndexStatus`,
};
