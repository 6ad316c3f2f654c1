/**
 * Reading a create/update body into column values:
 * - unknown or mis-cased properties → 400 `Invalid property 'Name' was found in entity …`;
 * - `<nav>@odata.bind` with `/set(id)`, `set(id)`, an absolute URL, an alternate key or a batch
 *   `$n` reference; `null` clears; a bind on an undeclared navigation property (e.g.
 *   `parentcustomerid@odata.bind` instead of `parentcustomerid_account@odata.bind`) → 400 0x80048d19;
 * - columns not valid for the operation (IsValidForCreate/IsValidForUpdate false) are silently ignored;
 * - type, length and range validation with Dataverse's codes; SystemRequired columns cannot be null;
 * - deep insert: a nested object for a single-valued navigation property, an array for a
 *   collection-valued one.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/entity-attribute-metadata
 */
import { err, type DataverseError } from '../errors';
import { isLookupKind, type TableInfo } from '../model/schema';
import { findByKey, notFoundFor, parseKey } from '../odata/keys';
import type { ColumnDef, LookupValue, Row } from '../tables/types';
import { toDataverseDate } from '../util/dates';
import { normalizeGuid } from '../util/guid';
import type { ApiContext } from './api-types';

export interface DeepInsert {
  kind: 'single' | 'collection';
  nav: string;
  target: TableInfo;
  column: ColumnDef;
  bodies: Record<string, unknown>[];
}

export interface CollectionBind {
  target: TableInfo;
  column: ColumnDef;
  ids: string[];
}

export interface Payload {
  values: Row;
  deep: DeepInsert[];
  collectionBinds: CollectionBind[];
  /** primary key supplied in the body (create) */
  id: string | null;
}

function literalError(info: TableInfo, value: unknown, edm: string): DataverseError {
  return err.payload(
    info.def.entitySetName,
    `Cannot convert the literal '${typeof value === 'string' ? value : JSON.stringify(value)}' to the expected type '${edm}'.`,
  );
}

/** Resolves an entity reference (`/contacts(id)`, `contacts(id)`, absolute URL, `$1`) to table + id. */
export function resolveReference(ctx: ApiContext, value: string, entitySet: string): { table: TableInfo; id: string } {
  let ref = value.trim();
  if (ref.startsWith('$') && ctx.contentIds) {
    const m = /^\$([^/(]+)(.*)$/.exec(ref);
    const url = m ? ctx.contentIds.get(m[1] ?? '') : undefined;
    if (!url) throw err.badRequest(`Content-ID Reference: '${ref}' does not exist in the batch context.`);
    ref = url + (m?.[2] ?? '');
  }
  const api = /\/api\/data\/v\d+\.\d+\/(.*)$/.exec(ref);
  if (api?.[1] !== undefined) ref = api[1];
  ref = ref.replace(/^\//, '');
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/.exec(ref);
  if (!m || !m[1] || m[2] === undefined) throw err.payload(entitySet, `The value '${value}' of the entity reference is not a valid URI.`);
  const table = ctx.store.schema.bySet.get(m[1]);
  if (!table) throw err.segmentNotFound(m[1]);
  const key = parseKey(table, decodeURIComponent(m[2]));
  const found = findByKey(ctx.store, table, key);
  if (!found) throw notFoundFor(table, key);
  return { table, id: found.id };
}

function convert(info: TableInfo, c: ColumnDef, value: unknown): unknown {
  if (value === null) {
    if (c.required === 'SystemRequired' && !c.isPrimaryId) throw err.requiredMissing(c.name);
    return null;
  }
  switch (c.kind) {
    case 'string':
    case 'memo':
      if (typeof value !== 'string') throw literalError(info, value, 'Edm.String');
      if (c.maxLength !== undefined && value.length > c.maxLength) throw err.lengthExceeded(c.name, info.name, c.maxLength);
      return value;
    case 'integer':
    case 'bigint':
    case 'picklist':
    case 'state':
    case 'status': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw literalError(info, value, c.kind === 'bigint' ? 'Edm.Int64' : 'Edm.Int32');
      if (c.options && !c.options.some((o) => o.value === value))
        throw err.optionOutOfRange(
          value,
          c.name,
          info.name,
          c.options.map((o) => o.value),
        );
      if ((c.minValue !== undefined && value < c.minValue) || (c.maxValue !== undefined && value > c.maxValue))
        throw err.outOfRange(value, c.name, info.name);
      return value;
    }
    case 'decimal':
    case 'money':
    case 'double': {
      const n = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw literalError(info, value, c.kind === 'double' ? 'Edm.Double' : 'Edm.Decimal');
      if ((c.minValue !== undefined && n < c.minValue) || (c.maxValue !== undefined && n > c.maxValue))
        throw err.outOfRange(n, c.name, info.name);
      const p = c.kind === 'money' ? 4 : (c.precision ?? 10);
      return Math.round(n * 10 ** p) / 10 ** p;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw literalError(info, value, 'Edm.Boolean');
      return value;
    case 'datetime': {
      if (typeof value !== 'string') throw literalError(info, value, c.dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset');
      const ms = /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? Date.parse(`${value}T00:00:00Z`)
        : /^\d{4}-\d{2}-\d{2}T/.test(value)
          ? Date.parse(value)
          : NaN;
      if (Number.isNaN(ms)) throw literalError(info, value, c.dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset');
      return c.dateOnly ? new Date(ms).toISOString().slice(0, 10) : toDataverseDate(ms);
    }
    case 'uniqueidentifier': {
      const g = typeof value === 'string' ? normalizeGuid(value) : null;
      if (!g) throw literalError(info, value, 'Edm.Guid');
      return g;
    }
    default:
      throw err.invalidBodyProperty(c.name, info.name);
  }
}

export function readPayload(ctx: ApiContext, info: TableInfo, body: unknown, mode: 'create' | 'update'): Payload {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw err.payload(info.def.entitySetName, 'Invalid JSON. A JSON object was expected for an entity payload.');
  }
  const result: Payload = { values: {}, deep: [], collectionBinds: [], id: null };
  const schema = ctx.store.schema;
  const entries = Object.entries(body as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (key.startsWith('@')) continue; // @odata.type, @odata.etag, …
    const at = key.indexOf('@');
    if (at > 0) {
      const nav = key.slice(0, at);
      const annotation = key.slice(at + 1);
      if (annotation !== 'odata.bind') continue; // other instance annotations are ignored
      const single = info.navSingle.get(nav);
      const coll = single ? undefined : info.navCollection.get(nav);
      if (!single && !coll) {
        throw err.payload(
          info.def.entitySetName,
          `An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
        );
      }
      if (single) {
        const c = single.column;
        if ((mode === 'create' && !c.validForCreate) || (mode === 'update' && !c.validForUpdate)) continue;
        if (value === null) {
          // Clearing one target of a customer lookup clears the column only if it points there.
          const current = result.values[c.name];
          if (c.targets && c.targets.length > 1 && current && (current as LookupValue).table !== single.target) continue;
          result.values[c.name] = null;
          continue;
        }
        if (typeof value !== 'string') throw err.payload(info.def.entitySetName, `The value of the '${key}' annotation must be a string.`);
        const ref = resolveReference(ctx, value, info.def.entitySetName);
        if (ref.table.name !== single.target) {
          throw err.payload(
            info.def.entitySetName,
            `A resource of type 'Microsoft.Dynamics.CRM.${ref.table.name}' was found in the payload, but 'Microsoft.Dynamics.CRM.${single.target}' was expected for the navigation property '${nav}'.`,
          );
        }
        result.values[c.name] = { id: ref.id, table: ref.table.name } satisfies LookupValue;
      } else if (coll) {
        if (!Array.isArray(value))
          throw err.payload(info.def.entitySetName, `The value of '${key}' must be an array of entity references.`);
        const target = schema.tables.get(coll.referencingTable);
        if (!target) continue;
        const ids = value.map((v) => {
          if (typeof v !== 'string')
            throw err.payload(info.def.entitySetName, `The value of '${key}' must be an array of entity references.`);
          return resolveReference(ctx, v, info.def.entitySetName).id;
        });
        result.collectionBinds.push({ target, column: coll.column, ids });
      }
      continue;
    }
    const single = info.navSingle.get(key);
    if (single) {
      if (value === null) {
        result.values[single.column.name] = null;
        continue;
      }
      if (typeof value === 'object' && !Array.isArray(value) && mode === 'create') {
        const target = schema.tables.get(single.target);
        if (target)
          result.deep.push({ kind: 'single', nav: key, target, column: single.column, bodies: [value as Record<string, unknown>] });
        continue;
      }
      throw err.invalidBodyProperty(key, info.name);
    }
    const coll = info.navCollection.get(key);
    if (coll) {
      const target = schema.tables.get(coll.referencingTable);
      if (!Array.isArray(value) || mode !== 'create' || !target) throw err.invalidBodyProperty(key, info.name);
      result.deep.push({ kind: 'collection', nav: key, target, column: coll.column, bodies: value as Record<string, unknown>[] });
      continue;
    }
    const c = info.columns.get(key);
    if (!c || isLookupKind(c)) throw err.invalidBodyProperty(key, info.name);
    if (c.isPrimaryId) {
      if (mode === 'create' && value !== null) {
        const g = typeof value === 'string' ? normalizeGuid(value) : null;
        if (!g) throw literalError(info, value, 'Edm.Guid');
        result.id = g;
      }
      continue;
    }
    if ((mode === 'create' && !c.validForCreate) || (mode === 'update' && !c.validForUpdate)) continue;
    result.values[c.name] = convert(info, c, value);
  }
  return result;
}
