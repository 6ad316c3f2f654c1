/**
 * Record writes shared by POST, PATCH (update/upsert), `$ref` and `$batch`: client-supplied primary
 * keys (duplicate → 412 0x80040237), alternate-key uniqueness (412 0x80060892), auto-numbered
 * ordernumber/invoicenumber, SystemRequired checks, deep insert, statecode/statuscode pairing,
 * versionnumber/modifiedon bumps, and delete with link removal.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/use-upsert-insert-update-record
 */
import { err } from '../errors';
import { applyStateDefaults, buildNewRow } from '../model/rows';
import type { TableInfo } from '../model/schema';
import { isLookupValue } from '../store';
import type { LookupValue, Row } from '../tables/types';
import { toDataverseDate } from '../util/dates';
import { newGuid } from '../util/guid';
import type { ApiContext } from './api-types';
import { removeAssociationsOf } from '../model/associations';
import { readPayload, type Payload } from './payload';

const AUTO_NUMBER: Record<string, { column: string; prefix: string }> = {
  salesorder: { column: 'ordernumber', prefix: 'ORD' },
  invoice: { column: 'invoicenumber', prefix: 'INV' },
};

function autoNumber(ctx: ApiContext, table: string, prefix: string): string {
  const seq = 1001 + ctx.store.count(table);
  const suffix = newGuid().replace(/-/g, '').slice(0, 6).toUpperCase();
  return `${prefix}-${String(seq).padStart(5, '0')}-${suffix}`;
}

function checkKeys(ctx: ApiContext, info: TableInfo, id: string, row: Row): void {
  const conflict = ctx.store.keyConflict(info.name, id, row);
  if (conflict) {
    const values = conflict.columns.map((c) => {
      const v = row[c];
      return isLookupValue(v) ? v.id : String(v);
    });
    throw err.duplicateKey(conflict.schemaName, values.join(', '));
  }
}

function actor(ctx: ApiContext): { userId: string; businessUnitId: string; currencyId: string } {
  return { userId: ctx.principal.systemuserid, businessUnitId: ctx.principal.businessUnitId, currencyId: defaultCurrency(ctx) };
}

function defaultCurrency(ctx: ApiContext): string {
  const usd = ctx.store.findByKey('transactioncurrency', 'isocurrencycodekey', ['USD']);
  return usd ?? '';
}

export function createFromPayload(
  ctx: ApiContext,
  info: TableInfo,
  payload: Payload,
  forcedId?: string,
  keyDefaults?: Row,
): { id: string; row: Row } {
  const id = payload.id ?? forcedId ?? newGuid();
  if (ctx.store.get(info.name, id)) throw err.duplicate();
  const values: Row = { ...keyDefaults, ...payload.values };
  for (const d of payload.deep) {
    if (d.kind !== 'single') continue;
    const body = d.bodies[0];
    if (!body) continue;
    const child = createRecord(ctx, d.target, body);
    values[d.column.name] = { id: child.id, table: d.target.name } satisfies LookupValue;
  }
  const auto = AUTO_NUMBER[info.name];
  if (auto && (values[auto.column] === undefined || values[auto.column] === null))
    values[auto.column] = autoNumber(ctx, info.name, auto.prefix);
  if (info.name === 'product' && (values.productstructure === undefined || values.productstructure === null)) values.productstructure = 1;
  for (const c of info.def.columns) {
    if (
      c.required === 'SystemRequired' &&
      c.validForCreate &&
      !c.isPrimaryId &&
      c.name !== 'ownerid' &&
      c.name !== 'statecode' &&
      (values[c.name] === undefined || values[c.name] === null)
    ) {
      throw err.requiredMissing(c.name);
    }
  }
  const now = Date.now();
  const row = buildNewRow(info, id, values, actor(ctx), ctx.store.nextVersion(), now);
  checkKeys(ctx, info, id, row);
  ctx.store.put(info.name, id, row);
  const ref: LookupValue = { id, table: info.name };
  for (const d of payload.deep) {
    if (d.kind !== 'collection') continue;
    for (const body of d.bodies) {
      const childPayload = readPayload(ctx, d.target, body, 'create');
      childPayload.values[d.column.name] = ref;
      createFromPayload(ctx, d.target, childPayload);
    }
  }
  for (const b of payload.collectionBinds) for (const childId of b.ids) setLookup(ctx, b.target, childId, b.column.name, ref);
  return { id, row: ctx.store.get(info.name, id) ?? row };
}

export function createRecord(ctx: ApiContext, info: TableInfo, body: unknown): { id: string; row: Row } {
  return createFromPayload(ctx, info, readPayload(ctx, info, body, 'create'));
}

export function updateRow(ctx: ApiContext, info: TableInfo, existing: Row, values: Row): Row {
  const id = existing[info.def.primaryId] as string;
  const row: Row = { ...existing, ...values };
  applyStateDefaults(info, row, values);
  if ('ownerid' in values && info.def.ownership === 'UserOwned') {
    if (!values.ownerid) throw err.requiredMissing('ownerid');
    row.owninguser = values.ownerid;
  }
  row.versionnumber = ctx.store.nextVersion();
  row.modifiedon = toDataverseDate(Date.now());
  row.modifiedby = { id: ctx.principal.systemuserid, table: 'systemuser' } satisfies LookupValue;
  info.def.compute?.(row);
  checkKeys(ctx, info, id, row);
  ctx.store.put(info.name, id, row);
  return row;
}

export function updateFromPayload(ctx: ApiContext, info: TableInfo, existing: Row, payload: Payload, dropColumns: string[] = []): Row {
  const values = { ...payload.values };
  for (const c of dropColumns) delete values[c];
  const row = updateRow(ctx, info, existing, values);
  const ref: LookupValue = { id: row[info.def.primaryId] as string, table: info.name };
  for (const b of payload.collectionBinds) for (const childId of b.ids) setLookup(ctx, b.target, childId, b.column.name, ref);
  return row;
}

export function setLookup(ctx: ApiContext, info: TableInfo, id: string, column: string, value: LookupValue | null): void {
  const row = ctx.store.get(info.name, id);
  if (!row) throw err.notFound(info.name, id);
  updateRow(ctx, info, row, { [column]: value });
}

/** Delete, removing links to the row from referencing lookups (RemoveLink cascade). */
export function deleteRecord(ctx: ApiContext, info: TableInfo, id: string): void {
  if (!ctx.store.remove(info.name, id)) throw err.notFound(info.name, id);
  removeAssociationsOf(ctx.store, info, id);
  const schema = ctx.store.schema;
  for (const nav of info.navCollection.values()) {
    const child = schema.tables.get(nav.referencingTable);
    if (!child) continue;
    const col = nav.column.name;
    const hits: Row[] = [];
    for (const r of ctx.store.rows(child.name)) {
      const v = r[col];
      if (isLookupValue(v) && v.id === id && v.table === info.name) hits.push(r);
    }
    for (const r of hits) {
      const extra: Row = { [col]: null };
      if (col === 'ownerid') continue;
      updateRow(ctx, child, r, extra);
    }
  }
}
