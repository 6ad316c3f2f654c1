/**
 * Resolves `$select` and `$expand` against a table: unknown properties are 400 `Could not find a
 * property named …`; the primary key is always returned; selecting a money column also returns
 * `_transactioncurrencyid_value`; `$expand` takes single-valued navigation properties (and
 * collection-valued ones with `$select;$filter;$orderby;$top`), or `/$ref`.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api
 */
import { err } from '../errors';
import type { TableInfo } from '../model/schema';
import type { OrgStore } from '../store';
import type { ColumnDef, Row } from '../tables/types';
import { FilterCompiler } from './filter-evaluate';
import { parseFilter } from './filter-parser';
import type { CrmFunctionContext } from './filter-types';
import { buildComparator, type Comparator } from './order';
import type { QueryOptions } from './query-options';
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
}

export interface Selection {
  /** null = all properties */
  props: string[] | null;
  /** names as the client listed them, for @odata.context */
  listed: string[] | null;
  expand: ExpandPlan[];
}

export function resolveSelection(info: TableInfo, opts: QueryOptions, store: OrgStore, crm: CrmFunctionContext): Selection {
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
    if (!single && !coll) throw err.propertyNotFound(item.nav, info.name);
    const target = schema.tables.get(single ? single.target : (coll?.referencingTable ?? ''));
    if (!target) throw err.propertyNotFound(item.nav, info.name);
    const sub = resolveSelection(target, item.options, store, crm);
    let filter: ExpandPlan['filter'] = null;
    let order: Comparator | null = null;
    if (coll) {
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
      column: single ? single.column : (coll as NonNullable<typeof coll>).column,
      ref: item.ref,
      selection: sub,
      filter,
      order,
      top: item.options.top,
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
