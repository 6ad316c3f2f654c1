/**
 * Lookups are written through their single-valued navigation property:
 * `"<nav>@odata.bind": "/<target entity set>(<id>)"`, with the navigation property name taken
 * from metadata (customer lookups: `parentcustomerid_account` / `parentcustomerid_contact`; custom
 * lookups often use the SchemaName casing). `null` clears the lookup.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
 */
import type { ColumnSchema, TableDirectory } from '../../metadata/types';
import { ActionError } from '../errors';
import { isGuid } from '../guid';

/** What the editor stores: the target table and the record's id, or only an id when the lookup has one target. */
export type LookupInput = { table: string; id: string } | string | null;

/**
 * @example lookupBind(parentcustomerid, { table: 'account', id }, directory)
 * // ['parentcustomerid_account@odata.bind', '/accounts(<id>)']
 */
export function lookupBind(column: ColumnSchema, input: LookupInput, directory: TableDirectory): [string, string | null] {
  const targets = column.targets ?? [];
  const first = targets[0];
  if (!first)
    throw new ActionError('invalid_input', `${column.displayName} (${column.logicalName}) has no target table this account can write.`);
  // Clearing: every navigation property of a lookup sets the same column, so the first one clears it
  // whichever table it currently points to (Learn: "Disassociate … set the single-valued navigation property to null").
  if (input === null) return [`${first.navigationProperty}@odata.bind`, null];
  const { table, id } = typeof input === 'string' ? { table: undefined, id: input } : input;
  if (!isGuid(id))
    throw new ActionError(
      'invalid_input',
      `${column.displayName} (${column.logicalName}) needs a record id (a GUID), not "${String(id).slice(0, 60)}".`,
    );
  let target = first;
  if (table !== undefined) {
    const found = targets.find((t) => t.table === table);
    if (!found)
      throw new ActionError(
        'invalid_input',
        `${column.displayName} (${column.logicalName}) cannot point to "${table}"; it points to ${targets.map((t) => t.table).join(' or ')}.`,
      );
    target = found;
  } else if (targets.length > 1 && new Set(targets.map((t) => t.navigationProperty)).size > 1) {
    throw new ActionError(
      'invalid_input',
      `${column.displayName} (${column.logicalName}) can point to ${targets.map((t) => t.table).join(' or ')}: say which table the record is in.`,
    );
  }
  const entitySet = directory.tables.find((t) => t.logicalName === target.table)?.entitySetName;
  if (!entitySet)
    throw new ActionError(
      'invalid_input',
      `The table "${target.table}" that ${column.displayName} points to is not available to this account.`,
    );
  return [`${target.navigationProperty}@odata.bind`, `/${entitySet}(${id.toLowerCase()})`];
}
