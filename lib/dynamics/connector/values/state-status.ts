/**
 * statecode and statuscode move together (an update of statecode without statuscode gets the
 * state's default status in Dataverse): a status reason implies its
 * state, a state without a status gets the state's default status, and a pair that does not
 * belong together is refused before anything is written.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 */
import type { DataverseRecord } from '../../client/types';
import type { TableSchema } from '../../metadata/types';
import { ActionError } from '../errors';

/** Mutates and returns `record` (already holding numeric statecode/statuscode if given). */
export function reconcileStateAndStatus(table: TableSchema, record: DataverseRecord, operation: 'create' | 'update'): DataverseRecord {
  const stateCol = table.columns.find((c) => c.type === 'state');
  const statusCol = table.columns.find((c) => c.type === 'status');
  if (!stateCol || !statusCol) return record;
  const state = record[stateCol.logicalName];
  const status = record[statusCol.logicalName];
  const statusOption = typeof status === 'number' ? statusCol.choices?.find((o) => o.value === status) : undefined;
  const stateWritable = operation === 'create' ? stateCol.validForCreate : stateCol.validForUpdate;
  if (typeof state === 'number' && statusOption?.state !== undefined && statusOption.state !== state) {
    const stateLabel = stateCol.choices?.find((o) => o.value === state)?.label ?? String(state);
    throw new ActionError(
      'invalid_input',
      `${statusCol.displayName} "${statusOption.label}" belongs to ${stateCol.displayName} ${statusOption.state}, not "${stateLabel}" (${state}).`,
    );
  }
  if (typeof state !== 'number' && statusOption?.state !== undefined && stateWritable) record[stateCol.logicalName] = statusOption.state;
  if (typeof state === 'number' && typeof status !== 'number') {
    const def = stateCol.choices?.find((o) => o.value === state)?.defaultStatus;
    if (def !== undefined) record[statusCol.logicalName] = def;
  }
  return record;
}
