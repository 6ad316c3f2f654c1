/**
 * `GET <entityset>?fetchXml=<url-encoded FetchXML>`: parses and checks the query (the `<entity
 * name>` must be the entity set's table; no other system query options beside it), runs it, and
 * answers as Dataverse does: rows with `@odata.etag`, the root columns under their property names
 * (lookups as `_x_value`), linked columns as `alias.column`, null columns left out; formatted
 * values when `odata.include-annotations` asks; `count`/`page` paging with
 * `@Microsoft.Dynamics.CRM.morerecords` and `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie` (when
 * asked for), `@odata.count` (and the total annotations) with `returntotalrecordcount` or `$count=true`.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/retrieve-data
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/count-rows (returntotalrecordcount = `$count=true`)
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-data-web-api
 */
import { parseXml, XmlSyntaxError, type XmlElement } from '../../fetchxml/xml-parser';
import { isLookupKind, lookupProp, type TableInfo } from '../model/schema';
import { stringify } from '../odata/json';
import { ANN, annotationMatcher, type Preferences } from '../odata/prefer';
import type { QueryOptions } from '../odata/query-options';
import { decodeQuery } from '../odata/query-options';
import { serializeContext, serializeRow, type SerializeContext } from '../odata/serialize';
import { isLookupValue } from '../store';
import type { Row } from '../tables/types';
import { jsonResponse, type ApiContext, type ApiResponse } from '../webapi/api-types';
import { aggregateRows } from './fetch-aggregate';
import { fetchErr } from './fetch-errors';
import { evaluate, supportsPagingCookie, type Joined } from './fetch-evaluate';
import { buildFetchQuery, type EntityNode, type FetchQuery } from './fetch-query';
import { cookieGuid, pagingCookieAnnotation, parseInnerCookie, type CookieColumn } from './paging-cookie';

export const FETCH_PAGE_MAX = 5000;
export const ANN_PAGING_COOKIE = 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie';
export const ANN_MORE_RECORDS = 'Microsoft.Dynamics.CRM.morerecords';

/** The `fetchXml` parameter of a query string, or null. */
export function fetchXmlParam(search: string): string | null {
  if (!search.includes('fetchXml=')) return null;
  for (const [k, v] of decodeQuery(search)) if (k === 'fetchXml') return v;
  return null;
}

function parseDocument(text: string): XmlElement {
  try {
    return parseXml(text);
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw fetchErr.malformed(e.message);
    throw e;
  }
}

/** Column → property name, as the Web API serializes it. */
const propOf = (c: { name: string; kind: string }): string => (isLookupKind(c as never) ? lookupProp(c.name) : c.name);

/** The properties a row carries: the listed ones, plus (on the root, unless the query is distinct) the primary key. */
function propsOf(node: EntityNode, info: TableInfo, root: boolean, distinct = false): string[] | null {
  if (node.allAttributes || (root && node.attributes.length === 0)) return null;
  const set = new Set(node.attributes.map((a) => propOf(a.column)));
  if (root && !distinct) {
    set.add(info.def.primaryId);
    if (info.hasMoney && node.attributes.some((a) => a.column.kind === 'money')) set.add('_transactioncurrencyid_value');
  }
  return [...set];
}

/** Moves `prop` and its annotations in `src` to `name` in `out`, leaving nulls out. */
function moveProp(src: Record<string, unknown>, prop: string, name: string, out: Record<string, unknown>): void {
  const value = src[prop];
  if (value === null || value === undefined) return;
  for (const k of Object.keys(src)) if (k.startsWith(`${prop}@`)) out[`${name}${k.slice(prop.length)}`] = src[k];
  out[name] = value;
}

function serializeJoined(sctx: SerializeContext, query: FetchQuery, j: Joined): Record<string, unknown> {
  const root = query.root;
  const info = root.info;
  const base = serializeRow(sctx, info, j.row, { props: propsOf(root, info, true, query.distinct), listed: null, expand: [] });
  const out: Record<string, unknown> = { '@odata.etag': base['@odata.etag'] };
  const aliased = new Map(root.attributes.filter((a) => a.alias).map((a) => [propOf(a.column), a.alias as string]));
  for (const k of Object.keys(base)) {
    if (k.includes('@')) continue;
    moveProp(base, k, aliased.get(k) ?? k, out);
  }
  const links = (node: EntityNode): void => {
    for (const l of node.links) {
      const row = j.linked.get(l.alias);
      if (row) {
        const props = propsOf(l, l.info, false);
        const ser = serializeRow(sctx, l.info, row, { props: props ?? l.info.allProps, listed: null, expand: [] });
        const byProp = new Map(l.attributes.map((a) => [propOf(a.column), a]));
        for (const p of props ?? l.info.allProps) {
          const a = byProp.get(p);
          const col = a?.column ?? l.info.propColumns.get(p);
          if (!col) continue;
          moveProp(ser, p, a?.alias ?? `${l.alias}.${col.name}`, out);
        }
      }
      links(l);
    }
  };
  links(root);
  return out;
}

function cookieValue(v: unknown): string {
  if (isLookupValue(v)) return cookieGuid(v.id);
  if (typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return cookieGuid(v);
  return v === null || v === undefined ? '' : String(v);
}

function cookieColumns(query: FetchQuery, page: Joined[]): CookieColumn[] {
  const first = page[0]?.row as Row;
  const last = page[page.length - 1]?.row as Row;
  const cols: CookieColumn[] = [];
  for (const o of query.root.orders) {
    if (!o.attribute) continue;
    cols.push({ name: o.attribute.name, first: cookieValue(first[o.attribute.name]), last: cookieValue(last[o.attribute.name]) });
  }
  const pk = query.root.info.def.primaryId;
  cols.push({ name: pk, first: cookieValue(first[pk]), last: cookieValue(last[pk]) });
  return cols;
}

export function queryFetchXml(ctx: ApiContext, info: TableInfo, text: string, opts: QueryOptions, prefs: Preferences): ApiResponse {
  // FetchXML carries the whole query: Dataverse refuses system query options beside it.
  const other = opts.raw.find(([k]) => k !== '$count');
  if (other) throw fetchErr.withOtherOptions(other[0]);
  const { query, aliases } = buildFetchQuery(parseDocument(text), ctx.store.schema, info);
  const matcher = annotationMatcher(prefs.annotations);
  const sctx = serializeContext(ctx.store, ctx.apiBase, matcher);
  const all = evaluate(query, { store: ctx.store, crm: ctx.crm, aliases });

  const body: Record<string, unknown> = { '@odata.context': `${ctx.apiBase}/$metadata#${info.def.entitySetName}` };
  let value: Array<Record<string, unknown>>;
  let more = false;
  let cookie: string | null = null;
  if (query.aggregate) {
    value = aggregateRows(query, all, ctx.store, sctx.formatted);
  } else {
    let rows = all;
    if (query.distinct) {
      const seen = new Set<string>();
      rows = [];
      for (const j of all) {
        const { ['@odata.etag']: _etag, ...shape } = serializeJoined(sctx, query, j);
        const key = JSON.stringify(shape);
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push(j);
      }
    }
    let pageRows: Joined[];
    if (query.top !== null) pageRows = rows.slice(0, query.top);
    else {
      const size = query.count ?? FETCH_PAGE_MAX;
      let start = (query.page - 1) * size;
      // A cookie for the previous page lets the next page start after its last row (Dataverse ignores one for any other page).
      const parsed = query.pagingCookie ? parseInnerCookie(query.pagingCookie, info.def.primaryId) : null;
      if (parsed && parsed.page === query.page - 1 && parsed.lastId && supportsPagingCookie(query)) {
        const pk = info.def.primaryId;
        let at = -1;
        for (let n = rows.length - 1; n >= 0; n--) {
          if (String((rows[n] as Joined).row[pk]).toLowerCase() === parsed.lastId) {
            at = n;
            break;
          }
        }
        if (at >= 0) start = at + 1;
      }
      pageRows = rows.slice(start, start + size);
      more = rows.length > start + size;
      if (more && pageRows.length && supportsPagingCookie(query))
        cookie = pagingCookieAnnotation(query.page, cookieColumns(query, pageRows));
    }
    // returntotalrecordcount is the same as $count=true: @odata.count, and the total annotations when asked for (-1 without a count).
    const counting = query.returnTotalRecordCount || opts.count;
    if (matcher(ANN.totalCount)) body['@Microsoft.Dynamics.CRM.totalrecordcount'] = counting ? Math.min(rows.length, FETCH_PAGE_MAX) : -1;
    if (matcher(ANN.totalCountExceeded))
      body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] = counting ? rows.length > FETCH_PAGE_MAX : false;
    if (counting) body['@odata.count'] = Math.min(rows.length, FETCH_PAGE_MAX);
    value = pageRows.map((j) => serializeJoined(sctx, query, j));
  }
  if (cookie !== null && matcher(ANN_PAGING_COOKIE)) body[`@${ANN_PAGING_COOKIE}`] = cookie;
  if (matcher(ANN_MORE_RECORDS)) body[`@${ANN_MORE_RECORDS}`] = more;
  body.value = value;
  return jsonResponse(
    200,
    stringify(body),
    prefs.annotations ? { 'Preference-Applied': `odata.include-annotations="${prefs.annotations}"` } : {},
  );
}
