/**
 * Validated `fields` → the Dataverse JSON body: choices as values, multi-choices as `"1,2"`,
 * booleans as booleans, date-only columns as `YYYY-MM-DD`, lookups as `<nav>@odata.bind`, and
 * statecode/statuscode made consistent. Columns not writable for the operation are refused here
 * (Dataverse would silently ignore them, which hides mapping mistakes).
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/entity-attribute-metadata
 */
import type { DataverseRecord } from '../../client/types';
import type { ColumnSchema, TableDirectory, TableSchema } from '../../metadata/types';
import { ActionError } from '../errors';
import { isWritable, type Operation } from '../form/column-schema';
import { resolveBoolean, resolveChoice, resolveChoices, type ChoiceInput } from './choice-value';
import { lookupBind, type LookupInput } from './lookup-bind';
import { reconcileStateAndStatus } from './state-status';

type Converter = (column: ColumnSchema, value: unknown, directory: TableDirectory) => [string, unknown][];

const plain: Converter = (c, v) => [[c.logicalName, v]];
const converters: Record<ColumnSchema['type'], Converter> = {
  uniqueidentifier: (c, v) => [[c.logicalName, typeof v === 'string' ? v.toLowerCase() : v]],
  string: plain,
  memo: plain,
  integer: plain,
  bigint: plain,
  decimal: plain,
  double: plain,
  money: plain,
  boolean: (c, v) => [[c.logicalName, resolveBoolean(c, v as boolean | string | number)]],
  datetime: (c, v) => [[c.logicalName, c.dateOnly && typeof v === 'string' ? v.slice(0, 10) : v]],
  choice: (c, v) => [[c.logicalName, resolveChoice(c, v as ChoiceInput)]],
  state: (c, v) => [[c.logicalName, resolveChoice(c, v as ChoiceInput)]],
  status: (c, v) => [[c.logicalName, resolveChoice(c, v as ChoiceInput)]],
  multichoice: (c, v) => [[c.logicalName, resolveChoices(c, v as ChoiceInput[]).join(',')]],
  lookup: (c, v, d) => [lookupBind(c, v as LookupInput, d)],
  customer: (c, v, d) => [lookupBind(c, v as LookupInput, d)],
  owner: (c, v, d) => [lookupBind(c, v as LookupInput, d)],
};

/**
 * @example
 * toRecord(contact, directory, { lastname: 'Ng', parentcustomerid: { table: 'account', id }, new_preferredchannel: 'phone' }, 'create')
 * // { lastname: 'Ng', 'parentcustomerid_account@odata.bind': '/accounts(<id>)', new_preferredchannel: 100000001 }
 */
export function toRecord(table: TableSchema, directory: TableDirectory, fields: Record<string, unknown>, op: Operation): DataverseRecord {
  const record: DataverseRecord = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const column = table.columns.find((c) => c.logicalName === name);
    if (!column) throw new ActionError('invalid_input', `${table.displayName} has no column "${name.slice(0, 80)}".`);
    if (!isWritable(column, op))
      throw new ActionError(
        'invalid_input',
        `${column.displayName} (${name}) cannot be set when you ${op === 'upsert' ? 'update or create' : op} a ${table.displayName.toLowerCase()}.`,
      );
    const pairs =
      value === null && !['lookup', 'customer', 'owner'].includes(column.type)
        ? [[name, null] as [string, unknown]]
        : converters[column.type](column, value, directory);
    for (const [key, v] of pairs) record[key] = v;
  }
  return reconcileStateAndStatus(table, record, op === 'create' ? 'create' : 'update');
}
