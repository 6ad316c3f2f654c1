/**
 * Resolves `$select` and `$expand` against a table: unknown properties are 400 `Could not find a
 * property named …`; the primary key is always returned; selecting a money column also returns
 * `_transactioncurrencyid_value`; `$expand` takes single-valued navigation properties (and
 * collection-valued ones with `$select;$filter;$orderby;$top`), or `/$ref`.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api
 */
import { DataverseError, codes, err } from '../errors';
import type { NavManyToMany, TableInfo } from '../model/schema';
import type { OrgStore } from '../store';
import type { ColumnDef, Row } from '../tables/types';
import { FilterCompiler } from './filter-evaluate';
import { parseFilter } from './filter-parser';
import type { CrmFunctionContext } from './filter-types';
import { buildComparator, type Comparator } from './order';
import type { ExpandItem, QueryOptions } from './query-options';
import { RowBinder } from './row-binder';

export interface ExpandPlan {
  nav: string;
  kind: 'single' | 'collection';
  target: TableInfo;
  /** the lookup column (on this table for single, on the target for collection) */
  column: ColumnDef;
  ref: boolean;
  selection: Selection;
  filter: ((row: Row) => boolean) | null;
  order: Comparator | null;
  top: number | null;
  /** set for a many-to-many navigation property (rows related through the intersect table) */
  manyToMany?: NavManyToMany;
  /** the expand's own options as written, for `<nav>@odata.nextLink` */
  inner: string;
}

export interface Selection {
  /** null = all properties */
  props: string[] | null;
  /** names as the client listed them, for @odata.context */
  listed: string[] | null;
  expand: ExpandPlan[];
  /**
   * Set on an entity-set query: its collection-valued expands carry `<nav>@odata.nextLink`. Without
   * a nested `$expand` they are not paged (up to 5,000 rows each, the link carries no paging
   * information); with one, each is paged by `odata.maxpagesize` and its link continues it.
   */
  collectionPaging?: { nested: boolean; pageSize: number };
}

/** A `$expand` inside a `$expand` anywhere in the query: Dataverse then pages each expanded collection. */
export function hasNestedExpand(items: readonly ExpandItem[]): boolean {
  return items.some((i) => i.options.expand.length > 0);
}

// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables#nested-expand-on-collection-valued-navigation-properties
const NESTED_OPTIONS_ERROR =
  'Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.';
// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables#return-references
const COLLECTION_REF_ERROR = 'Expand with $ref is only supported on lookup type navigation property.';

export function resolveSelection(
  info: TableInfo,
  opts: QueryOptions,
  store: OrgStore,
  crm: CrmFunctionContext,
  nested: boolean = hasNestedExpand(opts.expand),
): Selection {
  let props: string[] | null = null;
  if (opts.select) {
    const set = new Set<string>();
    for (const p of opts.select) {
      if (p === '*') {
        props = null;
        break;
      }
      if (!info.propColumns.has(p)) throw err.propertyNotFound(p, info.name);
      set.add(p);
    }
    if (opts.select.includes('*')) props = null;
    else {
      set.add(info.def.primaryId);
      if (info.hasMoney && [...set].some((p) => info.propColumns.get(p)?.kind === 'money')) set.add('_transactioncurrencyid_value');
      props = [...set];
    }
  }
  const schema = store.schema;
  const expand: ExpandPlan[] = opts.expand.map((item) => {
    const single = info.navSingle.get(item.nav);
    const coll = single ? undefined : info.navCollection.get(item.nav);
    const manyToMany = single || coll ? undefined : info.navManyToMany.get(item.nav);
    if (!single && !coll && !manyToMany) throw err.propertyNotFound(item.nav, info.name);
    const target = schema.tables.get(single ? single.target : (coll?.referencingTable ?? manyToMany?.target ?? ''));
    if (!target) throw err.propertyNotFound(item.nav, info.name);
    if (!single && item.ref) throw new DataverseError(400, codes.queryInvalid, COLLECTION_REF_ERROR);
    if (!single && nested && (item.options.top !== null || item.options.orderby !== null))
      throw new DataverseError(400, codes.queryInvalid, NESTED_OPTIONS_ERROR);
    const sub = resolveSelection(target, item.options, store, crm, nested);
    let filter: ExpandPlan['filter'] = null;
    let order: Comparator | null = null;
    if (!single) {
      if (item.options.filter) {
        const text = item.options.filter;
        const ast = parseFilter(text, (n) => item.options.aliases.get(n) ?? null);
        const pred = new FilterCompiler(new RowBinder(target, store, crm), text).predicate(ast);
        filter = (r) => pred(r);
      }
      if (item.options.orderby) order = buildComparator(target, store, crm, item.options.orderby);
    } else if (item.options.filter || item.options.orderby || item.options.top !== null) {
      throw err.queryOption(`Only $select and $expand are supported when expanding the single-valued navigation property '${item.nav}'.`);
    }
    return {
      nav: item.nav,
      kind: single ? 'single' : 'collection',
      target,
      column: single ? single.column : coll ? coll.column : (target.columns.get(target.def.primaryId) as ColumnDef),
      ref: item.ref,
      selection: sub,
      filter,
      order,
      top: item.options.top,
      manyToMany,
      inner: item.inner,
    };
  });
  return { props, listed: opts.select, expand };
}

/** `accounts(name,primarycontactid,primarycontactid(contactid,fullname))` — the context selector. */
export function contextSelector(sel: Selection, info: TableInfo): string {
  const parts: string[] = [];
  if (sel.listed) parts.push(...sel.listed);
  for (const e of sel.expand) {
    parts.push(e.nav);
    const inner = contextSelector(e.selection, e.target);
    if (inner) parts.push(`${e.nav}${inner}`);
  }
  void info;
  return parts.length ? `(${parts.join(',')})` : '';
}
