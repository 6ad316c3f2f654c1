/**
 * Building stored rows: every column present (null when unset, so a query without $select returns
 * all properties, as Dataverse does), defaults, statecode/statuscode defaults (an unspecified
 * statuscode is the state's default status), system columns (createdon/modifiedon/createdby/
 * modifiedby/versionnumber/owner, which every Sales table has), computed columns.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 */
import { DataverseError } from '../errors';
import { toDataverseDate } from '../util/dates';
import type { ColumnDef, LookupValue, Row } from '../tables/types';
import type { TableInfo } from './schema';

export interface Actor {
  userId: string;
  businessUnitId: string;
  currencyId: string;
}

export function stateOf(info: TableInfo, status: number): number | undefined {
  return info.columns.get('statuscode')?.options?.find((o) => o.value === status)?.state;
}

export function defaultStatusOf(info: TableInfo, state: number): number | undefined {
  return info.columns.get('statecode')?.options?.find((o) => o.value === state)?.defaultStatus;
}

export function defaultState(info: TableInfo): number {
  // Products created through the API start in Draft (statecode 2) unless the org creates them active;
  // what a real org does is not confirmed.
  return info.name === 'product' ? 2 : 0;
}

/** A fresh row with every column null, then defaults. `values` are already validated. */
export function buildNewRow(info: TableInfo, id: string, values: Row, actor: Actor, version: number, now: number): Row {
  const row: Row = {};
  for (const c of info.def.columns) row[c.name] = c.defaultValue ?? null;
  Object.assign(row, values);
  row[info.def.primaryId] = id;
  const ts = toDataverseDate(now);
  row.createdon = typeof values.overriddencreatedon === 'string' ? values.overriddencreatedon : ts;
  row.modifiedon = ts;
  const user: LookupValue = { id: actor.userId, table: 'systemuser' };
  row.createdby = user;
  row.modifiedby = user;
  row.versionnumber = version;
  if (info.def.ownership === 'UserOwned') {
    if (!row.ownerid) row.ownerid = user;
    row.owninguser = row.ownerid;
    row.owningbusinessunit = { id: actor.businessUnitId, table: 'businessunit' };
  }
  if (info.columns.has('transactioncurrencyid')) {
    if (!row.transactioncurrencyid && info.hasMoney) row.transactioncurrencyid = { id: actor.currencyId, table: 'transactioncurrency' };
    if (info.columns.has('exchangerate') && row.transactioncurrencyid && info.name !== 'transactioncurrency') row.exchangerate = 1;
  }
  applyStateDefaults(info, row, values);
  info.def.compute?.(row);
  return row;
}

/**
 * statecode/statuscode pairing: a missing statuscode is the state's DefaultStatus; a statuscode
 * must belong to the row's statecode (the one written, else the current or default one): one of
 * another state is refused with the platform's message, as on create, update and a state change.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 */
export function applyStateDefaults(info: TableInfo, row: Row, written: Row): void {
  const wroteState = typeof written.statecode === 'number';
  const wroteStatus = typeof written.statuscode === 'number';
  if (!wroteState && !wroteStatus) {
    if (typeof row.statecode !== 'number') row.statecode = defaultState(info);
    if (typeof row.statuscode !== 'number') row.statuscode = defaultStatusOf(info, row.statecode as number) ?? 1;
    return;
  }
  if (wroteState && !wroteStatus) {
    row.statuscode = defaultStatusOf(info, written.statecode as number) ?? row.statuscode;
    return;
  }
  if (typeof row.statecode !== 'number') row.statecode = defaultState(info);
  const status = written.statuscode as number;
  const belongs = stateOf(info, status);
  if (belongs !== undefined && belongs !== row.statecode) throw statusNotValidForState(info, status, row.statecode as number, row);
}

/**
 * 400 0x80048408, as the platform words it: "2 is not a valid status code for state code
 * LeadState.Open on lead with Id <id>." (the state's invariant name after the table's schema name).
 */
export function statusNotValidForState(info: TableInfo, status: number, state: number, row: Row): DataverseError {
  const option = info.columns.get('statecode')?.options?.find((o) => o.value === state);
  const stateName = option?.invariantName ?? option?.label.replace(/\s+/g, '') ?? String(state);
  const id = String(row[info.def.primaryId] ?? '');
  return new DataverseError(
    400,
    '0x80048408',
    `${status} is not a valid status code for state code ${info.def.schemaName}State.${stateName} on ${info.name} with Id ${id}.`,
    'InvalidStateCodeStatusCode',
  );
}

export function columnIsMoney(c: ColumnDef | undefined): boolean {
  return c?.kind === 'money';
}
