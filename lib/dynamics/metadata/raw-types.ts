/**
 * The metadata shapes the Web API sends (EntityDefinitions, Attributes, OptionSet, relationships,
 * keys), as loose zod schemas: unknown members pass through, missing optional members are fine,
 * but a wrong type (a Dataverse answer we cannot trust) fails with a precise path instead of a
 * crash later.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
 */
import { z } from 'zod';

const labelSchema = z.looseObject({ Label: z.string().nullish(), LanguageCode: z.number().optional() });
export const rawLabelSetSchema = z.looseObject({
  LocalizedLabels: z.array(labelSchema).nullish(),
  UserLocalizedLabel: labelSchema.nullish(),
});
export type RawLabelSet = {
  LocalizedLabels?: { Label?: string | null; LanguageCode?: number }[] | null;
  UserLocalizedLabel?: { Label?: string | null; LanguageCode?: number } | null;
};

const managedValue = <T extends z.ZodType>(inner: T) => z.looseObject({ Value: inner });

export const rawEntityDefinitionSchema = z.looseObject({
  MetadataId: z.string().optional(),
  LogicalName: z.string(),
  SchemaName: z.string().nullish(),
  EntitySetName: z.string().nullish(),
  PrimaryIdAttribute: z.string().nullish(),
  PrimaryNameAttribute: z.string().nullish(),
  DisplayName: rawLabelSetSchema.nullish(),
  DisplayCollectionName: rawLabelSetSchema.nullish(),
  Description: rawLabelSetSchema.nullish(),
  IsCustomEntity: z.boolean().nullish(),
  OwnershipType: z.string().nullish(),
  ChangeTrackingEnabled: z.boolean().nullish(),
  IsIntersect: z.boolean().nullish(),
  IsPrivate: z.boolean().nullish(),
  IsLogicalEntity: z.boolean().nullish(),
});
export type RawEntityDefinition = z.infer<typeof rawEntityDefinitionSchema>;

export const rawAttributeSchema = z.looseObject({
  '@odata.type': z.string().optional(),
  LogicalName: z.string(),
  SchemaName: z.string().nullish(),
  AttributeType: z.string().nullish(),
  AttributeTypeName: managedValue(z.string()).nullish(),
  AttributeOf: z.string().nullish(),
  IsCustomAttribute: z.boolean().nullish(),
  IsPrimaryId: z.boolean().nullish(),
  IsPrimaryName: z.boolean().nullish(),
  IsValidForCreate: z.boolean().nullish(),
  IsValidForUpdate: z.boolean().nullish(),
  IsValidForRead: z.boolean().nullish(),
  RequiredLevel: managedValue(z.string()).nullish(),
  DisplayName: rawLabelSetSchema.nullish(),
  Description: rawLabelSetSchema.nullish(),
  MaxLength: z.number().nullish(),
  MinValue: z.number().nullish(),
  MaxValue: z.number().nullish(),
  Precision: z.number().nullish(),
  Targets: z.array(z.string()).nullish(),
  Format: z.string().nullish(),
  DateTimeBehavior: managedValue(z.string()).nullish(),
});
export type RawAttribute = z.infer<typeof rawAttributeSchema>;

const rawOptionSchema = z.looseObject({
  Value: z.number(),
  Label: rawLabelSetSchema.nullish(),
  State: z.number().nullish(),
  DefaultStatus: z.number().nullish(),
  IsHidden: z.boolean().nullish(),
});
export type RawOption = z.infer<typeof rawOptionSchema>;

export const rawOptionSetSchema = z.looseObject({
  Name: z.string().nullish(),
  OptionSetType: z.string().nullish(),
  Options: z.array(rawOptionSchema).nullish(),
  TrueOption: rawOptionSchema.nullish(),
  FalseOption: rawOptionSchema.nullish(),
});
export type RawOptionSet = z.infer<typeof rawOptionSetSchema>;

/** An item of `…/Attributes/Microsoft.Dynamics.CRM.<Enum>AttributeMetadata?$expand=OptionSet`. */
export const rawEnumAttributeSchema = z.looseObject({
  LogicalName: z.string(),
  OptionSet: rawOptionSetSchema.nullish(),
  GlobalOptionSet: rawOptionSetSchema.nullish(),
});
export type RawEnumAttribute = z.infer<typeof rawEnumAttributeSchema>;

export const rawRelationshipSchema = z.looseObject({
  SchemaName: z.string().nullish(),
  ReferencingAttribute: z.string(),
  ReferencedEntity: z.string(),
  ReferencingEntityNavigationPropertyName: z.string().nullish(),
});
export type RawRelationship = z.infer<typeof rawRelationshipSchema>;

export const rawManyToManySchema = z.looseObject({
  SchemaName: z.string(),
  Entity1LogicalName: z.string(),
  Entity2LogicalName: z.string(),
  IntersectEntityName: z.string(),
  Entity1NavigationPropertyName: z.string().nullish(),
  Entity2NavigationPropertyName: z.string().nullish(),
});
export type RawManyToMany = z.infer<typeof rawManyToManySchema>;

export const rawKeySchema = z.looseObject({
  LogicalName: z.string(),
  SchemaName: z.string().nullish(),
  KeyAttributes: z.array(z.string()),
  DisplayName: rawLabelSetSchema.nullish(),
  /** Only `Active` keys can address rows; `Pending`/`InProgress`/`Failed` ones cannot yet. */
  EntityKeyIndexStatus: z.string().nullish(),
});
export type RawKey = z.infer<typeof rawKeySchema>;

/** OData collection envelope: `{ "value": [...] }`. */
export const collectionOf = <T extends z.ZodType>(item: T) => z.looseObject({ value: z.array(item) });

/** Everything discovery fetches for one table, handed to the pure normalizer. */
export interface RawTableParts {
  entity: RawEntityDefinition;
  attributes: RawAttribute[];
  enumAttributes: RawEnumAttribute[];
  relationships: RawRelationship[];
  keys: RawKey[];
  manyToMany?: RawManyToMany[];
}
