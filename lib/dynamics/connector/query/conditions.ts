/**
 * Conditions of Retrieve, Update, Delete and Update or create: (field, operator, value) in groups
 * matched all/any. The schema lists only readable columns of the table; `toFilter` checks each
 * operator against the column's type and converts values (choice labels → values, lookups →
 * `_<column>_value` with a GUID) into the client's ConditionGroup. The client turns that into
 * `$filter` with escaped literals — values are data, never query text.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 */
import { z } from 'zod';
import type { Condition, ConditionGroup } from '../../client/types';
import type { ColumnSchema, ColumnType, TableSchema } from '../../metadata/types';
import { ActionError } from '../errors';
import { isGuid } from '../guid';
import { resolveBoolean, resolveChoice, type ChoiceInput } from '../values/choice-value';
import { MAX_CONDITIONS } from './limits';

export type Operator = Condition['operator'];
const BASE: Operator[] = ['eq', 'ne', 'null', 'not_null'];
const ORDERED: Operator[] = ['gt', 'ge', 'lt', 'le'];
const operatorsByType: Record<ColumnType, readonly Operator[]> = {
  uniqueidentifier: [...BASE, 'in'],
  string: [...BASE, ...ORDERED, 'in', 'contains', 'not_contains', 'startswith', 'endswith'],
  memo: [...BASE, 'contains', 'not_contains', 'startswith', 'endswith'],
  integer: [...BASE, ...ORDERED, 'in'],
  bigint: [...BASE, ...ORDERED, 'in'],
  decimal: [...BASE, ...ORDERED],
  double: [...BASE, ...ORDERED],
  money: [...BASE, ...ORDERED],
  boolean: BASE,
  datetime: [...BASE, ...ORDERED, 'on', 'on_or_after', 'on_or_before', 'last_x_days', 'next_x_days'],
  choice: [...BASE, 'in'],
  multichoice: ['null', 'not_null'],
  state: [...BASE, 'in'],
  status: [...BASE, 'in'],
  lookup: [...BASE, 'in'],
  customer: [...BASE, 'in'],
  owner: [...BASE, 'in'],
};
export const ALL_OPERATORS: readonly Operator[] = [...new Set(Object.values(operatorsByType).flat())];

const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const conditionValueSchema = z.union([scalar, z.null(), z.array(z.union([z.string(), z.number()])).max(500)]);

export interface ConditionInput {
  field: string;
  operator: Operator;
  value?: string | number | boolean | null | (string | number)[];
}
export interface ConditionGroupInput {
  match: 'all' | 'any';
  conditions: (ConditionInput | ConditionGroupInput)[];
}

/** Columns a condition or an order may name. */
export const readableColumns = (table: TableSchema) => table.columns.filter((c) => c.validForRead);

/** The conditions schema for one table, with what the editor's condition builder needs in its meta. */
export function conditionGroupSchema(table: TableSchema): z.ZodType<ConditionGroupInput> {
  const names = readableColumns(table).map((c) => c.logicalName) as [string, ...string[]];
  const condition = z.strictObject({
    field: z.enum(names),
    operator: z.enum(ALL_OPERATORS as [Operator, ...Operator[]]),
    value: conditionValueSchema.optional(),
  });
  const group: z.ZodType<ConditionGroupInput> = z.lazy(() =>
    z.strictObject({
      match: z.enum(['all', 'any']),
      conditions: z
        .array(z.union([condition, group]))
        .min(1)
        .max(MAX_CONDITIONS),
    }),
  );
  return group.superRefine((value, ctx) => {
    try {
      toFilter(table, value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
    }
  });
}

/** Meta for the editor: columns with their operators and choices. */
export function conditionFieldsMeta(table: TableSchema) {
  return readableColumns(table).map((c) => ({
    column: c.logicalName,
    label: c.displayName,
    type: c.type,
    operators: operatorsByType[c.type],
    ...(c.choices ? { choices: c.choices.map(({ value, label }) => ({ value, label })) } : {}),
    ...(c.targets ? { lookupTargets: c.targets.map((t) => t.table) } : {}),
  }));
}

const isGroup = (c: ConditionInput | ConditionGroupInput): c is ConditionGroupInput => 'conditions' in c;
const isLookup = (c: ColumnSchema) => c.type === 'lookup' || c.type === 'customer' || c.type === 'owner';

/**
 * @example toFilter(contact, { match: 'all', conditions: [{ field: 'new_preferredchannel', operator: 'eq', value: 'Phone' }] })
 * // { match: 'all', conditions: [{ field: 'new_preferredchannel', operator: 'eq', value: 100000001 }] }
 */
export function toFilter(table: TableSchema, group: ConditionGroupInput, depth = 0): ConditionGroup {
  if (depth > 4) throw new ActionError('invalid_input', 'Conditions are nested too deeply (at most 4 levels).');
  let count = 0;
  const out: ConditionGroup = { match: group.match, conditions: [] };
  for (const c of group.conditions) {
    if (++count > MAX_CONDITIONS) throw new ActionError('invalid_input', `At most ${MAX_CONDITIONS} conditions.`);
    out.conditions.push(isGroup(c) ? toFilter(table, c, depth + 1) : toCondition(table, c));
  }
  return out;
}

function toCondition(table: TableSchema, c: ConditionInput): Condition {
  const column = readableColumns(table).find((x) => x.logicalName === c.field);
  if (!column) throw new ActionError('invalid_input', `${table.displayName} has no readable column "${String(c.field).slice(0, 80)}".`);
  const allowed = operatorsByType[column.type];
  if (!allowed.includes(c.operator)) {
    throw new ActionError(
      'invalid_input',
      `"${c.operator}" cannot be used on ${column.displayName} (${column.type}); use one of: ${allowed.join(', ')}.`,
    );
  }
  const field = isLookup(column) ? `_${column.logicalName}_value` : column.logicalName;
  if (c.operator === 'null' || c.operator === 'not_null') return { field, operator: c.operator };
  const type = literalType(column);
  const where = `${column.displayName} ${c.operator}`;
  if (c.value === undefined || c.value === null)
    throw new ActionError('invalid_input', `${where} needs a value (use "null" to test for an empty value).`);
  if (c.operator === 'in') {
    const items = Array.isArray(c.value) ? c.value : [c.value];
    if (items.length === 0) throw new ActionError('invalid_input', `${where} needs at least one value.`);
    return { field, operator: 'in', type, value: items.map((v) => scalarValue(column, v, where) as string | number) };
  }
  if (Array.isArray(c.value)) throw new ActionError('invalid_input', `${where} takes one value, not a list.`);
  if (c.operator === 'last_x_days' || c.operator === 'next_x_days') {
    if (typeof c.value !== 'number' || !Number.isInteger(c.value) || c.value < 0)
      throw new ActionError('invalid_input', `${where} needs a whole number of days.`);
    return { field, operator: c.operator, value: c.value };
  }
  return { field, operator: c.operator, type, value: scalarValue(column, c.value, where) };
}

/** How the client writes the literal (a GUID bare, a date-only value as a date, …). */
function literalType(column: ColumnSchema): NonNullable<Condition['type']> {
  switch (column.type) {
    case 'string':
    case 'memo':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'datetime':
      return column.dateOnly ? 'date' : 'datetime';
    case 'lookup':
    case 'customer':
    case 'owner':
    case 'uniqueidentifier':
      return 'guid';
    default:
      return 'number';
  }
}

function scalarValue(column: ColumnSchema, value: string | number | boolean, where: string): string | number | boolean {
  const fail = (expected: string): never => {
    throw new ActionError('invalid_input', `${where}: expected ${expected}, got ${JSON.stringify(value).slice(0, 60)}.`);
  };
  switch (column.type) {
    case 'choice':
    case 'state':
    case 'status':
      return typeof value === 'boolean' ? fail('a choice label or value') : resolveChoice(column, value as ChoiceInput);
    case 'boolean':
      return resolveBoolean(column, value);
    case 'lookup':
    case 'customer':
    case 'owner':
    case 'uniqueidentifier':
      return isGuid(value) ? value.toLowerCase() : fail('a record id (GUID)');
    case 'integer':
    case 'bigint':
    case 'decimal':
    case 'double':
    case 'money':
      return typeof value === 'number' && Number.isFinite(value) ? value : fail('a number');
    case 'datetime':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value)
        ? value
        : fail('a date like 2026-05-31 or 2026-05-31T09:30:00Z');
    default:
      return typeof value === 'string' ? value : fail('text');
  }
}
