/**
 * AttributeMetadata items → ColumnSchema. Only columns the connector can read or write are kept:
 * helper columns (AttributeOf set, e.g. `*name`, `address1_composite`) and types without a plain
 * JSON value (Virtual, EntityName, PartyList, CalendarRules, ManagedProperty, File, Image) are left
 * out. Type names follow AttributeTypeName.Value (it distinguishes types such as
 * MultiSelectPicklistType that AttributeType reports as Virtual), falling back to AttributeType.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/entity-attribute-metadata
 */
import { choicesByColumn } from './normalize-choices';
import { lookupTargets } from './normalize-lookups';
import { isLogicalName } from './names';
import { pickLabel } from './labels';
import type { RawAttribute, RawEnumAttribute, RawRelationship } from './raw-types';
import type { ColumnSchema, ColumnType, RequiredLevel } from './types';

const typeByName: Record<string, ColumnType> = {
  UniqueidentifierType: 'uniqueidentifier',
  StringType: 'string',
  MemoType: 'memo',
  IntegerType: 'integer',
  BigIntType: 'bigint',
  DecimalType: 'decimal',
  DoubleType: 'double',
  MoneyType: 'money',
  BooleanType: 'boolean',
  DateTimeType: 'datetime',
  PicklistType: 'choice',
  MultiSelectPicklistType: 'multichoice',
  StateType: 'state',
  StatusType: 'status',
  LookupType: 'lookup',
  CustomerType: 'customer',
  OwnerType: 'owner',
};

const requiredLevels: readonly RequiredLevel[] = ['None', 'SystemRequired', 'ApplicationRequired', 'Recommended'];

/** @example columnType({ LogicalName: 'name', AttributeTypeName: { Value: 'StringType' } }) // 'string' */
export function columnType(raw: RawAttribute): ColumnType | null {
  const byName = raw.AttributeTypeName?.Value;
  if (byName) return typeByName[byName] ?? null;
  return raw.AttributeType ? (typeByName[`${raw.AttributeType}Type`] ?? null) : null;
}

const isLookupType = (t: ColumnType) => t === 'lookup' || t === 'customer' || t === 'owner';
const isChoiceType = (t: ColumnType) => t === 'choice' || t === 'multichoice' || t === 'state' || t === 'status' || t === 'boolean';

export interface ColumnSources {
  attributes: readonly RawAttribute[];
  enumAttributes: readonly RawEnumAttribute[];
  relationships: readonly RawRelationship[];
}

/** @example normalizeColumns({ attributes, enumAttributes, relationships }).find((c) => c.logicalName === 'parentcustomerid')?.targets */
export function normalizeColumns(sources: ColumnSources): ColumnSchema[] {
  const choices = choicesByColumn(sources.enumAttributes);
  const out: ColumnSchema[] = [];
  for (const raw of sources.attributes) {
    if (!isLogicalName(raw.LogicalName) || raw.AttributeOf) continue;
    const type = columnType(raw);
    if (!type) continue;
    const column: ColumnSchema = {
      logicalName: raw.LogicalName,
      schemaName: raw.SchemaName ?? raw.LogicalName,
      displayName: pickLabel(raw.DisplayName, raw.SchemaName ?? raw.LogicalName),
      type,
      requiredLevel: requiredLevels.find((l) => l === raw.RequiredLevel?.Value) ?? 'None',
      validForCreate: raw.IsValidForCreate !== false,
      validForUpdate: raw.IsValidForUpdate !== false,
      validForRead: raw.IsValidForRead !== false,
      isCustom: raw.IsCustomAttribute === true,
      isPrimaryId: raw.IsPrimaryId === true,
      isPrimaryName: raw.IsPrimaryName === true,
    };
    const description = pickLabel(raw.Description, '');
    if (description) column.description = description;
    if (typeof raw.MaxLength === 'number') column.maxLength = raw.MaxLength;
    if (typeof raw.MinValue === 'number') column.minValue = raw.MinValue;
    if (typeof raw.MaxValue === 'number') column.maxValue = raw.MaxValue;
    if (typeof raw.Precision === 'number') column.precision = raw.Precision;
    if (type === 'datetime') column.dateOnly = raw.Format === 'DateOnly' || raw.DateTimeBehavior?.Value === 'DateOnly';
    if (isChoiceType(type)) {
      column.choices =
        choices.get(raw.LogicalName) ??
        (type === 'boolean'
          ? [
              { value: 0, label: 'No' },
              { value: 1, label: 'Yes' },
            ]
          : []);
    }
    if (isLookupType(type)) column.targets = lookupTargets(raw, sources.relationships);
    out.push(column);
  }
  return out.sort((a, b) => a.logicalName.localeCompare(b.logicalName));
}
