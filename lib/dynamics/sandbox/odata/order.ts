/**
 * `$orderby`: `a asc,b desc`, default ascending; lookup columns sort by the related row's primary
 * name, choices by value; strings compare case-insensitively; nulls sort first ascending (SQL
 * Server). Ties fall back to the primary key so paging is stable.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/order-rows
 */
import { err } from '../errors';
import { isLookupKind, type TableInfo } from '../model/schema';
import { isLookupValue, type OrgStore } from '../store';
import type { Row } from '../tables/types';
import type { CrmFunctionContext } from './filter-types';
import { parseOrderBy } from './query-options';
import { RowBinder } from './row-binder';

export type Comparator = (a: Row, b: Row) => number;

function cmp(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function buildComparator(info: TableInfo, store: OrgStore, crm: CrmFunctionContext, orderby: string): Comparator {
  const binder = new RowBinder(info, store, crm);
  const schema = store.schema;
  const keys = parseOrderBy(orderby).map((item) => {
    let get: (r: Row) => unknown;
    const [first] = item.path;
    const col =
      item.path.length === 1 && first !== undefined ? (info.propColumns.get(first) ?? info.navSingle.get(first)?.column) : undefined;
    if (item.path.length === 1 && !col) throw err.propertyNotFound(first ?? '', info.name);
    if (col && isLookupKind(col)) {
      const name = col.name;
      get = (r) => {
        const v = r[name];
        if (!isLookupValue(v)) return null;
        const target = schema.tables.get(v.table);
        const related = target ? store.get(v.table, v.id) : undefined;
        return related && target ? (related[target.def.primaryName] ?? null) : null;
      };
    } else {
      const bound = binder.path(item.path);
      get = (r) => bound.get(r);
    }
    return { get, desc: item.desc };
  });
  const pk = info.def.primaryId;
  return (a, b) => {
    for (const k of keys) {
      const c = cmp(k.get(a), k.get(b));
      if (c !== 0) return k.desc ? -c : c;
    }
    return cmp(a[pk], b[pk]);
  };
}
