/**
 * One zod schema per column, per operation, built from the account's metadata. The schema both
 * validates resolved inputs on the server and, through `.meta()`, describes the editor's field
 * (widget, label, choices, lookup targets). Values are checked, not transformed, so the JSON
 * Schema the form comes from stays exact; `values/column-value.ts` converts them for the wire.
 */
import { z } from 'zod';
import type { ColumnSchema, TableDirectory } from '../../metadata/types';
import { ActionError } from '../errors';
import { GUID_PATTERN } from '../guid';
import { resolveBoolean, resolveChoice, resolveChoices } from '../values/choice-value';

export type Operation = 'create' | 'update' | 'upsert';

export type Widget = 'text' | 'textarea' | 'number' | 'checkbox' | 'date' | 'datetime' | 'select' | 'multiselect' | 'lookup' | 'guid';

const widgetByType: Record<ColumnSchema['type'], Widget> = {
  uniqueidentifier: 'guid',
  string: 'text',
  memo: 'textarea',
  integer: 'number',
  bigint: 'number',
  decimal: 'number',
  double: 'number',
  money: 'number',
  boolean: 'checkbox',
  datetime: 'datetime',
  choice: 'select',
  multichoice: 'multiselect',
  state: 'select',
  status: 'select',
  lookup: 'lookup',
  customer: 'lookup',
  owner: 'lookup',
};

/** Required columns Dataverse fills in itself on create (auto-numbers, owner = caller, state, defaults, currency from the price list). */
const SYSTEM_FILLED = new Set([
  'ownerid',
  'statecode',
  'statuscode',
  'ordernumber',
  'invoicenumber',
  'quotenumber',
  'productstructure',
  'transactioncurrencyid',
]);

export const guidSchema = z.string().regex(GUID_PATTERN, 'Expected a record id (GUID) like 00aa00aa-bb11-cc22-dd33-44ee44ee44ee.');
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether the column is offered for the operation. */
export function isWritable(column: ColumnSchema, op: Operation): boolean {
  if (column.isPrimaryId) return false;
  if (op === 'create') return column.validForCreate;
  if (op === 'update') return column.validForUpdate;
  return column.validForCreate || column.validForUpdate;
}

/** Required in the create form: business-required, or system-required and not filled in by Dataverse. */
export function isRequiredOnCreate(column: ColumnSchema): boolean {
  if (!column.validForCreate || column.isPrimaryId || SYSTEM_FILLED.has(column.logicalName)) return false;
  return column.requiredLevel === 'ApplicationRequired' || column.requiredLevel === 'SystemRequired';
}

/** Runs a converter as a zod check, turning its ActionError into an issue with its precise message. */
function checkedBy<T>(convert: (v: T) => unknown) {
  return (value: T, ctx: z.core.$RefinementCtx<T>) => {
    try {
      convert(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof ActionError ? err.message : String(err) });
    }
  };
}

/** The schema of a column's value, before optional/nullable/meta. */
export function columnValueBase(column: ColumnSchema): z.ZodType {
  const num = () => {
    let s = z.number();
    if (column.minValue !== undefined) s = s.min(column.minValue);
    if (column.maxValue !== undefined) s = s.max(column.maxValue);
    return s;
  };
  switch (column.type) {
    case 'string':
    case 'memo':
      return column.maxLength ? z.string().max(column.maxLength, `At most ${column.maxLength} characters.`) : z.string();
    case 'integer':
    case 'bigint':
      return num().int();
    case 'decimal':
    case 'double':
    case 'money':
      return num();
    case 'boolean':
      return z
        .union([z.boolean(), z.string(), z.number()])
        .superRefine(checkedBy((v: boolean | string | number) => resolveBoolean(column, v)));
    case 'datetime':
      return column.dateOnly
        ? z.string().regex(DATE_ONLY, 'Expected a date like 2026-05-31.')
        : z.string().regex(DATE_TIME, 'Expected a date and time like 2026-05-31T09:30:00Z.');
    case 'choice':
    case 'state':
    case 'status':
      return z.union([z.number().int(), z.string()]).superRefine(checkedBy((v: number | string) => resolveChoice(column, v)));
    case 'multichoice':
      return z
        .union([z.array(z.union([z.number().int(), z.string()])), z.string()])
        .superRefine(checkedBy((v: (number | string)[] | string) => resolveChoices(column, v)));
    case 'lookup':
    case 'customer':
    case 'owner': {
      const tables = (column.targets ?? []).map((t) => t.table);
      const ref = z.object({ table: z.enum(tables.length ? (tables as [string, ...string[]]) : ['_none_']), id: guidSchema });
      // A bare id is enough when there is only one table it can be in.
      return tables.length === 1 ? z.union([ref, guidSchema]) : ref;
    }
    case 'uniqueidentifier':
      return guidSchema;
  }
}

/** The field as the form and validation see it, with its metadata for the editor. */
export function columnFieldSchema(column: ColumnSchema, directory: TableDirectory, op: Operation): z.ZodType {
  const required = op === 'create' && isRequiredOnCreate(column);
  let schema = columnValueBase(column);
  // null clears a value; Dataverse refuses to clear system-required columns.
  if (column.requiredLevel !== 'SystemRequired' && !required) schema = schema.nullable();
  if (!required) schema = schema.optional();
  const meta: Record<string, unknown> = {
    title: column.displayName,
    'x-column': column.logicalName,
    'x-type': column.type,
    'x-widget': column.type === 'datetime' && column.dateOnly ? 'date' : widgetByType[column.type],
    'x-required-level': column.requiredLevel,
  };
  if (column.description) meta.description = column.description;
  if (column.choices) {
    // A status reason carries the status it belongs to, so the form offers only the chosen status's reasons.
    meta['x-choices'] = column.choices.map(({ value, label, state }) =>
      column.type === 'status' && state !== undefined ? { value, label, state } : { value, label },
    );
    if (column.type === 'status') meta['x-choices-by'] = 'statecode';
  }
  if (column.targets) {
    meta['x-lookup-targets'] = column.targets.map((t) => ({
      table: t.table,
      displayName: directory.tables.find((d) => d.logicalName === t.table)?.displayName ?? t.table,
      entitySetName: directory.tables.find((d) => d.logicalName === t.table)?.entitySetName ?? null,
    }));
  }
  return schema.meta(meta);
}

/** The `fields` object of a create/update/upsert input; a status reason of another status than the one set is refused here, before anything runs. */
export function fieldsSchema(table: { columns: ColumnSchema[] }, directory: TableDirectory, op: Operation) {
  const shape: Record<string, z.ZodType> = {};
  for (const column of table.columns) if (isWritable(column, op)) shape[column.logicalName] = columnFieldSchema(column, directory, op);
  const stateCol = table.columns.find((c) => c.type === 'state');
  const statusCol = table.columns.find((c) => c.type === 'status');
  return z
    .strictObject(shape)
    .superRefine((fields, ctx) => {
      if (!stateCol || !statusCol) return;
      const mismatch = statusMismatch(stateCol, statusCol, fields[stateCol.logicalName], fields[statusCol.logicalName]);
      if (mismatch) ctx.addIssue({ code: 'custom', path: [statusCol.logicalName], message: mismatch });
    })
    .meta({ title: 'Fields', 'x-group': 'fields' });
}

/**
 * Why a literal statecode/statuscode pair cannot be written (each status reason belongs to one
 * status; Dataverse refuses any other pair), or null. Values that are not literals are left to the run.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/entity-attribute-metadata#status-and-status-reason-columns
 */
export function statusMismatch(stateCol: ColumnSchema, statusCol: ColumnSchema, state: unknown, status: unknown): string | null {
  const literal = (c: ColumnSchema, v: unknown): number | null => {
    if (typeof v !== 'number' && typeof v !== 'string') return null;
    try {
      return resolveChoice(c, v);
    } catch {
      return null;
    }
  };
  const s = literal(stateCol, state);
  const r = literal(statusCol, status);
  if (s === null || r === null) return null;
  const option = statusCol.choices?.find((o) => o.value === r);
  if (option?.state === undefined || option.state === s) return null;
  const stateLabel = stateCol.choices?.find((o) => o.value === s)?.label ?? String(s);
  const allowed = (statusCol.choices ?? []).filter((o) => o.state === s).map((o) => `"${o.label}"`);
  return `${statusCol.displayName} "${option.label}" does not belong to ${stateCol.displayName} "${stateLabel}"${allowed.length ? `: choose ${allowed.join(', ')}` : ''}.`;
}
