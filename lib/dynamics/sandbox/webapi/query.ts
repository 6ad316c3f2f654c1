/**
 * Retrieve multiple: $select/$filter/$orderby/$top/$count/$expand, `Prefer: odata.maxpagesize`
 * (default and max 5,000) with `@odata.nextLink` + `$skiptoken`, `$top` ignored when a page size is
 * requested, `@odata.count` capped at 5,000 and placed before `value`,
 * `@Microsoft.Dynamics.CRM.totalrecordcount` annotations, and change tracking (`Prefer:
 * odata.track-changes`, `$deltatoken`).
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/count-rows
 *        https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import { DataverseError, codes, err } from '../errors';
import type { TableInfo } from '../model/schema';
import { FilterCompiler } from '../odata/filter-evaluate';
import { parseFilter } from '../odata/filter-parser';
import { stringify } from '../odata/json';
import { buildComparator } from '../odata/order';
import { ANN, annotationMatcher, type Preferences } from '../odata/prefer';
import type { QueryOptions } from '../odata/query-options';
import { RowBinder } from '../odata/row-binder';
import { contextSelector, hasNestedExpand, resolveSelection } from '../odata/selection';
import { serializeContext, serializeRow } from '../odata/serialize';
import type { Row } from '../tables/types';
import { deltaTimestamp, parseDeltaTimestamp } from '../util/dates';
import { jsonResponse, type ApiContext, type ApiResponse } from './api-types';
import { decodeSkipToken, encodeSkipToken, linkWith, type PageCursor } from './paging';

export const MAX_PAGE = 5000;

export interface CollectionScope {
  /** rows restricted to a parent (collection-valued navigation GET) */
  parentFilter?: (row: Row) => boolean;
  /** absolute URL the links are built on (without query) */
  linkBase: string;
  /** entity set segment for @odata.context */
  contextPath: string;
}

function lowerBound(ids: string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] as string) <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function aliasParams(opts: QueryOptions): Array<[string, string]> {
  return [...opts.aliases];
}

export function compilePredicate(ctx: ApiContext, info: TableInfo, opts: QueryOptions): ((row: Row) => boolean) | null {
  if (!opts.filter) return null;
  const text = opts.filter;
  const ast = parseFilter(text, (n) => opts.aliases.get(n) ?? null);
  const pred = new FilterCompiler(new RowBinder(info, ctx.store, ctx.crm), text).predicate(ast);
  return (r) => pred(r);
}

export function queryCollection(
  ctx: ApiContext,
  info: TableInfo,
  opts: QueryOptions,
  prefs: Preferences,
  scope: CollectionScope,
): ApiResponse {
  if (opts.deltatoken !== null) return deltaQuery(ctx, info, opts, prefs, scope);
  const tracking = prefs.trackChanges;
  if (tracking) {
    if (!info.def.changeTracking) {
      throw new DataverseError(
        400,
        codes.odata,
        `Entity: ${info.name} isn't enabled for change tracking. Enable change tracking for the entity in order to use this feature.`,
      );
    }
    for (const [opt, present] of [
      ['filter', opts.filter],
      ['orderby', opts.orderby],
      ['expand', opts.expand.length ? 'x' : null],
      ['top', opts.top],
    ] as const) {
      if (present !== null)
        throw new DataverseError(400, codes.odata, `The "$${opt}" query parameter isn't supported when Change Tracking is enabled.`);
    }
  }
  const matcher = annotationMatcher(prefs.annotations);
  const sel = resolveSelection(info, opts, ctx.store, ctx.crm);
  const pred = compilePredicate(ctx, info, opts);
  const comparator = opts.orderby ? buildComparator(info, ctx.store, ctx.crm, opts.orderby) : null;
  const match = (r: Row): boolean => (!scope.parentFilter || scope.parentFilter(r)) && (!pred || pred(r));
  const pageSize = Math.min(prefs.maxPageSize ?? MAX_PAGE, MAX_PAGE);
  sel.collectionPaging = { nested: hasNestedExpand(opts.expand), pageSize };
  // $top is ignored when odata.maxpagesize is sent (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results).
  const limit = prefs.maxPageSize === null && opts.top !== null ? Math.min(opts.top, MAX_PAGE) : null;
  const cursor: PageCursor | null = opts.skiptoken ? decodeSkipToken(opts.skiptoken) : null;
  const page = cursor?.page ?? 1;
  const startVersion = ctx.store.version;

  let rows: Row[];
  let hasMore = false;
  let total = -1;
  const want = limit ?? pageSize;
  if (!comparator) {
    // Keyset paging in primary-key order: O(log n) to find the page start.
    const ids = ctx.store.sortedIds(info.name);
    let i = cursor?.lastId ? lowerBound(ids, cursor.lastId) : 0;
    rows = [];
    for (; i < ids.length; i++) {
      const r = ctx.store.get(info.name, ids[i] as string);
      if (!r || !match(r)) continue;
      if (rows.length === want) {
        hasMore = true;
        break;
      }
      rows.push(r);
    }
  } else {
    const all: Row[] = [];
    for (const r of ctx.store.rows(info.name)) if (match(r)) all.push(r);
    all.sort(comparator);
    const start = (page - 1) * pageSize;
    rows = all.slice(start, start + want);
    hasMore = limit === null && all.length > start + want;
    total = all.length;
  }
  if (limit !== null) hasMore = false;

  const wantsTotal = matcher(ANN.totalCount);
  if ((opts.count || wantsTotal) && total < 0 && opts.count) {
    total = 0;
    for (const r of ctx.store.rows(info.name)) if (match(r)) total++;
  }

  const sctx = serializeContext(ctx.store, ctx.apiBase, matcher);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.apiBase}/$metadata#${scope.contextPath}${contextSelector(sel, info)}`,
  };
  if (wantsTotal) {
    body['@Microsoft.Dynamics.CRM.totalrecordcount'] = opts.count ? Math.min(total, MAX_PAGE) : -1;
    body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] = opts.count ? total > MAX_PAGE : false;
  }
  if (opts.count) body['@odata.count'] = Math.min(total, MAX_PAGE);
  if (matcher(ANN.globalMetadataVersion)) body['@Microsoft.Dynamics.CRM.globalmetadataversion'] = '1000000';
  body.value = rows.map((r) => serializeRow(sctx, info, r, sel));
  const pk = info.def.primaryId;
  if (hasMore) {
    const last = rows[rows.length - 1];
    const first = rows[0];
    const token = encodeSkipToken(
      pk,
      { page: page + 1, lastId: comparator ? null : String(last?.[pk] ?? ''), tracking },
      first ? String(first[pk]) : null,
    );
    body['@odata.nextLink'] = linkWith(scope.linkBase, [...opts.raw, ...aliasParams(opts)], [['$skiptoken', token]]);
  } else if (tracking) {
    body['@odata.deltaLink'] = linkWith(scope.linkBase, opts.raw, [['$deltatoken', `${startVersion}!${deltaTimestamp(Date.now())}`]]);
  }
  const applied: string[] = [];
  if (prefs.maxPageSize !== null) applied.push(`odata.maxpagesize=${pageSize}`);
  if (tracking) applied.push('odata.track-changes');
  if (prefs.annotations) applied.push(`odata.include-annotations="${prefs.annotations}"`);
  return jsonResponse(200, stringify(body), applied.length ? { 'Preference-Applied': applied.join(',') } : {});
}

/** The platform's ExpiredVersionStamp error: the token is older than the change-tracking retention. */
const expiredVersionStamp = (): DataverseError =>
  new DataverseError(
    400,
    codes.expiredVersionStamp,
    'Version stamp associated with the client has expired. Please perform a full sync.',
    'ExpiredVersionStamp',
  );

/** Delta poll: rows changed after the token's version, then `$deletedEntity` entries for the rows deleted since. */
function deltaQuery(ctx: ApiContext, info: TableInfo, opts: QueryOptions, prefs: Preferences, scope: CollectionScope): ApiResponse {
  if (!info.def.changeTracking) {
    throw new DataverseError(
      400,
      codes.odata,
      `Entity: ${info.name} isn't enabled for change tracking. Enable change tracking for the entity in order to use this feature.`,
    );
  }
  const m = /^(\d+)!(.+)$/.exec(opts.deltatoken ?? '');
  const at = m?.[2] ? parseDeltaTimestamp(m[2]) : null;
  if (!m || at === null) throw new DataverseError(400, codes.queryInvalid, `The delta token '${opts.deltatoken ?? ''}' is not valid.`);
  if (Date.now() - at > ctx.config.changeTrackingRetentionDays * 86_400_000) {
    // Past Organization.ExpireChangeTrackingInDays: ExpiredVersionStamp (https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems).
    throw expiredVersionStamp();
  }
  if (Number(m[1]) < ctx.store.prunedUpTo(info.name)) {
    // The tombstones this token would need were pruned (the sandbox keeps a bounded number): as an expired token.
    throw expiredVersionStamp();
  }
  for (const [opt, present] of [
    ['filter', opts.filter],
    ['orderby', opts.orderby],
    ['expand', opts.expand.length ? 'x' : null],
    ['top', opts.top],
  ] as const) {
    if (present !== null)
      throw new DataverseError(400, codes.odata, `The "$${opt}" query parameter isn't supported when Change Tracking is enabled.`);
  }
  const cursor = opts.skiptoken ? decodeSkipToken(opts.skiptoken) : null;
  const from = Number(m[1]);
  const upTo = cursor?.deltaUpTo ?? ctx.store.version;
  let after = cursor?.deltaAfter ?? from;
  let phase = cursor?.deltaPhase ?? 'rows';
  const pageSize = Math.min(prefs.maxPageSize ?? MAX_PAGE, MAX_PAGE);
  const matcher = annotationMatcher(prefs.annotations);
  const sel = resolveSelection(info, opts, ctx.store, ctx.crm);
  const sctx = serializeContext(ctx.store, ctx.apiBase, matcher);
  const out: unknown[] = [];
  let more = false;
  if (phase === 'rows') {
    const changed: Row[] = [];
    for (const r of ctx.store.rows(info.name)) {
      const v = r.versionnumber as number;
      if (v > after && v <= upTo && (!scope.parentFilter || scope.parentFilter(r))) changed.push(r);
    }
    changed.sort((a, b) => (a.versionnumber as number) - (b.versionnumber as number));
    for (const r of changed) {
      if (out.length === pageSize) {
        more = true;
        break;
      }
      out.push(serializeRow(sctx, info, r, sel));
      after = r.versionnumber as number;
    }
    if (!more) {
      phase = 'deletes';
      after = from;
    }
  }
  if (phase === 'deletes' && !more) {
    const oldest = ctx.store.oldestDeletedVersion(info.name);
    void oldest;
    for (const d of ctx.store.deletedSince(info.name, after)) {
      if (d.version > upTo) break;
      if (out.length === pageSize) {
        more = true;
        break;
      }
      out.push({ '@odata.context': `${ctx.apiBase}/$metadata#${info.def.entitySetName}/$deletedEntity`, id: d.id, reason: 'deleted' });
      after = d.version;
    }
  }
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.apiBase}/$metadata#${scope.contextPath}${contextSelector(sel, info)}/$delta`,
    value: out,
  };
  if (more) {
    const token = encodeSkipToken(
      info.def.primaryId,
      { page: (cursor?.page ?? 1) + 1, lastId: null, tracking: true, deltaAfter: after, deltaPhase: phase, deltaUpTo: upTo },
      null,
    );
    body['@odata.nextLink'] = linkWith(scope.linkBase, opts.raw, [
      ['$deltatoken', opts.deltatoken ?? ''],
      ['$skiptoken', token],
    ]);
  } else {
    body['@odata.deltaLink'] = linkWith(scope.linkBase, opts.raw, [['$deltatoken', `${upTo}!${deltaTimestamp(Date.now())}`]]);
  }
  return jsonResponse(200, stringify(body), prefs.maxPageSize !== null ? { 'Preference-Applied': `odata.maxpagesize=${pageSize}` } : {});
}

export function countCollection(ctx: ApiContext, info: TableInfo, opts: QueryOptions, parentFilter?: (r: Row) => boolean): ApiResponse {
  const pred = compilePredicate(ctx, info, opts);
  let n = 0;
  if (opts.deltatoken !== null) {
    const v = Number(/^(\d+)!/.exec(opts.deltatoken)?.[1] ?? NaN);
    if (!Number.isFinite(v)) throw err.queryOption(`The delta token '${opts.deltatoken}' is not valid.`);
    for (const r of ctx.store.rows(info.name)) if ((r.versionnumber as number) > v) n++;
    n += ctx.store.deletedSince(info.name, v).length;
  } else {
    for (const r of ctx.store.rows(info.name)) if ((!parentFilter || parentFilter(r)) && (!pred || pred(r))) n++;
  }
  return { status: 200, headers: { 'Content-Type': 'text/plain', 'OData-Version': '4.0' }, body: String(Math.min(n, MAX_PAGE)) };
}
