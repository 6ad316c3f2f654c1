/**
 * Row → JSON entity: `@odata.etag` = `W/"<versionnumber>"` first, then properties; lookups as
 * `_x_value` GUIDs; annotations (formatted values, lookup navigation property and logical name)
 * placed before the property they annotate, only when the request's `odata.include-annotations`
 * asks for them (`*`, exact names or `prefix*`); expanded navigation properties.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns
 */
import { isLookupKind, lookupProp, type TableInfo } from '../model/schema';
import { isLookupValue, type OrgStore } from '../store';
import type { ColumnDef, LookupValue, Row } from '../tables/types';
import { formattedValue } from './format';
import { money } from './json';
import { ANN } from './prefer';
import { encodeSkipToken, linkWith } from '../webapi/paging';
import { relatedIds } from '../model/associations';
import { splitTop } from './query-options';
import type { ExpandPlan, Selection } from './selection';

/** Rows a collection-valued expand returns at most when it is not paged. */
const MAX_EXPANDED = 5000;

function childCount(ctx: SerializeContext, e: ExpandPlan, id: string): number {
  let n = 0;
  if (e.manyToMany) {
    for (const otherId of relatedIds(ctx.store, e.manyToMany, id)) {
      const c = ctx.store.get(e.target.name, otherId);
      if (c && (!e.filter || e.filter(c))) n++;
    }
    return n;
  }
  for (const c of ctx.store.rows(e.target.name)) {
    const v = c[e.column.name];
    if (isLookupValue(v) && v.id === id && (!e.filter || e.filter(c))) n++;
  }
  return n;
}

export interface SerializeContext {
  store: OrgStore;
  /** `${service}/api/data/v9.2` */
  apiBase: string;
  formatted: boolean;
  navAnnotations: boolean;
  logicalAnnotations: boolean;
}

export function serializeContext(store: OrgStore, apiBase: string, matcher: (n: string) => boolean): SerializeContext {
  return {
    store,
    apiBase,
    formatted: matcher(ANN.formatted),
    navAnnotations: matcher(ANN.navProp),
    logicalAnnotations: matcher(ANN.logicalName),
  };
}

export const etagOf = (row: Row): string => `W/"${String(row.versionnumber ?? 0)}"`;

function currencySymbol(ctx: SerializeContext, row: Row): string {
  const cur = row.transactioncurrencyid;
  if (!isLookupValue(cur)) return '$';
  const c = ctx.store.get('transactioncurrency', cur.id);
  return typeof c?.currencysymbol === 'string' ? c.currencysymbol : '$';
}

function primaryNameOf(ctx: SerializeContext, ref: LookupValue): string | null {
  const target = ctx.store.schema.tables.get(ref.table);
  const row = target ? ctx.store.get(ref.table, ref.id) : undefined;
  const name = row && target ? row[target.def.primaryName] : null;
  return typeof name === 'string' ? name : null;
}

function navigationName(c: ColumnDef, ref: LookupValue): string {
  return c.targets?.find((t) => t.table === ref.table)?.navigation ?? c.name;
}

function writeProp(ctx: SerializeContext, out: Record<string, unknown>, info: TableInfo, prop: string, row: Row): void {
  const c = info.propColumns.get(prop);
  if (!c) return;
  if (isLookupKind(c)) {
    const v = row[c.name];
    if (isLookupValue(v)) {
      if (ctx.formatted) out[`${prop}@OData.Community.Display.V1.FormattedValue`] = primaryNameOf(ctx, v);
      if (ctx.navAnnotations) out[`${prop}@Microsoft.Dynamics.CRM.associatednavigationproperty`] = navigationName(c, v);
      if (ctx.logicalAnnotations) out[`${prop}@Microsoft.Dynamics.CRM.lookuplogicalname`] = v.table;
      out[prop] = v.id;
    } else out[prop] = null;
    return;
  }
  const v = row[c.name] ?? null;
  if (ctx.formatted && v !== null && c.kind !== 'string' && c.kind !== 'memo' && c.kind !== 'uniqueidentifier' && c.kind !== 'bigint') {
    const f = formattedValue(c, v, c.kind === 'money' ? currencySymbol(ctx, row) : '$');
    if (f !== null) out[`${prop}@OData.Community.Display.V1.FormattedValue`] = f;
  }
  out[prop] = c.kind === 'money' && typeof v === 'number' ? money(v) : v;
}

export function serializeRow(ctx: SerializeContext, info: TableInfo, row: Row, sel: Selection): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': etagOf(row) };
  const props = sel.props ?? info.allProps;
  for (const p of props) writeProp(ctx, out, info, p, row);
  for (const e of sel.expand) {
    if (e.kind === 'single') {
      const v = row[e.column.name];
      const related = isLookupValue(v) && v.table === e.target.name ? ctx.store.get(v.table, v.id) : undefined;
      if (e.ref)
        out[e.nav] = related ? { '@odata.id': `${ctx.apiBase}/${e.target.def.entitySetName}(${v && isLookupValue(v) ? v.id : ''})` } : null;
      else out[e.nav] = related ? serializeRow(ctx, e.target, related, e.selection) : null;
      continue;
    }
    const id = String(row[info.def.primaryId]);
    let children: Row[] = [];
    if (e.manyToMany) {
      for (const otherId of relatedIds(ctx.store, e.manyToMany, id)) {
        const c = ctx.store.get(e.target.name, otherId);
        if (c && (!e.filter || e.filter(c))) children.push(c);
      }
      children.sort((a, b) => String(a[e.target.def.primaryId]).localeCompare(String(b[e.target.def.primaryId])));
    } else {
      for (const c of ctx.store.rows(e.target.name)) {
        const v = c[e.column.name];
        if (isLookupValue(v) && v.id === id && (!e.filter || e.filter(c))) children.push(c);
      }
    }
    if (e.order) children.sort(e.order);
    if (e.top !== null) children = children.slice(0, e.top);
    const paging = sel.collectionPaging;
    let link: string | null = null;
    if (paging) {
      // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables#expand-collection-valued-navigation-properties
      const linkBase = `${ctx.apiBase}/${info.def.entitySetName}(${id})/${e.nav}`;
      const params = splitTop(e.inner, ';').map((p) => {
        const eq = p.indexOf('=');
        return [p.slice(0, eq).trim(), p.slice(eq + 1)] as [string, string];
      });
      const cap = paging.nested ? paging.pageSize : MAX_EXPANDED;
      if (children.length > cap) {
        children.sort((a, b) => String(a[e.target.def.primaryId]).localeCompare(String(b[e.target.def.primaryId])));
        children = children.slice(0, cap);
      }
      if (!paging.nested) link = linkWith(linkBase, params, []);
      else if (children.length === cap && childCount(ctx, e, id) > cap) {
        const pk = e.target.def.primaryId;
        const first = children[0];
        const last = children[children.length - 1];
        const token = encodeSkipToken(pk, { page: 2, lastId: String(last?.[pk] ?? ''), tracking: false }, first ? String(first[pk]) : null);
        link = linkWith(linkBase, params, [['$skiptoken', token]]);
      }
    }
    out[e.nav] = children.map((c) => serializeRow(ctx, e.target, c, e.selection));
    if (link) out[`${e.nav}@odata.nextLink`] = link;
  }
  return out;
}

export { lookupProp };
