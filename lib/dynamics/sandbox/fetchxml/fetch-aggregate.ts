/**
 * FetchXML aggregates: `count`, `countcolumn` (with `distinct`), `sum`, `avg`, `min`, `max` over the
 * filtered rows, grouped by the `groupby` attributes (dates by `dategrouping` year, quarter, month,
 * week or day). Nulls are not aggregated; the result rows carry the aliases and are ordered by
 * `<order alias>`. More matched rows than the query's `aggregatelimit` (at most and by default
 * 50,000) is Dataverse's AggregateQueryRecordLimit error.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data
 */
import { isLookupKind } from '../model/schema';
import { formattedValue } from '../odata/format';
import { money } from '../odata/json';
import { isLookupValue, type OrgStore } from '../store';
import type { ColumnDef, Row } from '../tables/types';
import { parseDateValue } from '../util/dates';
import { fetchErr } from './fetch-errors';
import { compareValues, sortValue, type Joined } from './fetch-evaluate';
import type { AttributeNode, EntityNode, FetchQuery, OrderNode } from './fetch-query';

export const AGGREGATE_RECORD_LIMIT = 50_000;
const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

interface Scoped {
  attr: AttributeNode;
  /** link alias, or null for the root entity */
  alias: string | null;
}

function collect(node: EntityNode, alias: string | null, out: Scoped[], orders: OrderNode[]): void {
  for (const a of node.attributes) out.push({ attr: a, alias });
  orders.push(...node.orders);
  for (const l of node.links) collect(l, l.alias, out, orders);
}

const rowOf = (j: Joined, alias: string | null): Row | null => (alias === null ? j.row : (j.linked.get(alias) ?? null));

function dateGroup(iso: unknown, grouping: NonNullable<AttributeNode['dategrouping']>): number | null {
  const ms = typeof iso === 'string' ? parseDateValue(iso) : null;
  if (ms === null) return null;
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  switch (grouping) {
    case 'year':
      return year;
    case 'quarter':
      return Math.floor(d.getUTCMonth() / 3) + 1;
    case 'month':
      return d.getUTCMonth() + 1;
    case 'day':
      return d.getUTCDate();
    case 'week': {
      const jan1 = Date.UTC(year, 0, 1);
      const dayOfYear = Math.floor((ms - jan1) / 86_400_000) + 1;
      return Math.ceil((dayOfYear + new Date(jan1).getUTCDay()) / 7);
    }
  }
}

function groupValue(s: Scoped, j: Joined): unknown {
  const row = rowOf(j, s.alias);
  const v = row ? row[s.attr.column.name] : null;
  if (v === null || v === undefined) return null;
  if (s.attr.dategrouping) return dateGroup(v, s.attr.dategrouping);
  return v;
}

function numeric(c: ColumnDef, v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (c.kind === 'datetime' && typeof v === 'string') return parseDateValue(v);
  return null;
}

interface Group {
  sample: Joined;
  rows: Joined[];
}

function aggregateOf(s: Scoped, rows: Joined[]): unknown {
  const c = s.attr.column;
  const values: unknown[] = [];
  for (const j of rows) {
    const row = rowOf(j, s.alias);
    const v = row ? row[c.name] : null;
    if (v !== null && v !== undefined) values.push(isLookupValue(v) ? v.id : v);
  }
  switch (s.attr.aggregate) {
    case 'count':
      return rows.length;
    case 'countcolumn':
      return s.attr.distinct ? new Set(values.map((v) => String(v).toLowerCase())).size : values.length;
    case 'sum':
    case 'avg': {
      const nums = values.map((v) => numeric(c, v)).filter((n): n is number => n !== null);
      if (s.attr.aggregate === 'sum') return nums.reduce((a, b) => a + b, 0);
      return nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : null;
    }
    case 'min':
    case 'max': {
      let best: unknown = null;
      for (const v of values) {
        if (best === null || (s.attr.aggregate === 'min' ? compareValues(v, best) < 0 : compareValues(v, best) > 0)) best = v;
      }
      return best;
    }
    default:
      return null;
  }
}

function lookupName(store: OrgStore, v: unknown): string | null {
  if (!isLookupValue(v)) return null;
  const target = store.schema.tables.get(v.table);
  const row = target ? store.get(v.table, v.id) : undefined;
  const name = row && target ? row[target.def.primaryName] : null;
  return typeof name === 'string' ? name : null;
}

/** The aggregate result rows, ordered by the query's `<order alias>` elements. */
export function aggregateRows(query: FetchQuery, rows: Joined[], store: OrgStore, formatted: boolean): Array<Record<string, unknown>> {
  if (rows.length > (query.aggregateLimit ?? AGGREGATE_RECORD_LIMIT)) throw fetchErr.aggregateLimit();
  const scoped: Scoped[] = [];
  const orders: OrderNode[] = [];
  collect(query.root, null, scoped, orders);
  const groupBy = scoped.filter((s) => s.attr.groupby);
  const groups = new Map<string, Group>();
  for (const j of rows) {
    const key = JSON.stringify(
      groupBy.map((s) => {
        const v = groupValue(s, j);
        return isLookupValue(v) ? v.id : v;
      }),
    );
    const g = groups.get(key);
    if (g) g.rows.push(j);
    else groups.set(key, { sample: j, rows: [j] });
  }
  if (groups.size === 0 && groupBy.length === 0) groups.set('[]', { sample: { row: {}, linked: new Map() }, rows: [] });

  const results: Array<{ out: Record<string, unknown>; sort: Map<string, unknown> }> = [];
  for (const g of groups.values()) {
    const out: Record<string, unknown> = {};
    const sort = new Map<string, unknown>();
    for (const s of scoped) {
      const alias = s.attr.alias as string;
      const c = s.attr.column;
      if (s.attr.groupby) {
        const v = g.rows.length ? groupValue(s, g.sample) : null;
        if (v === null || v === undefined) {
          sort.set(alias, null);
          continue;
        }
        if (isLookupValue(v)) {
          if (formatted) out[`${alias}${FORMATTED}`] = lookupName(store, v);
          out[alias] = v.id;
        } else {
          if (formatted && !s.attr.dategrouping) {
            const f = formattedValue(c, v, '$');
            if (f !== null && f !== v) out[`${alias}${FORMATTED}`] = f;
          }
          out[alias] = v;
        }
        sort.set(alias, s.attr.dategrouping ? v : sortValue(c, rowOf(g.sample, s.alias), store));
        continue;
      }
      const v = aggregateOf(s, g.rows);
      sort.set(alias, v);
      if (v === null) continue;
      const countLike = s.attr.aggregate === 'count' || s.attr.aggregate === 'countcolumn';
      if (formatted && typeof v === 'number') {
        const asColumn: ColumnDef = countLike ? { ...c, kind: 'integer' } : c;
        const f = formattedValue(asColumn, v, '$');
        if (f !== null) out[`${alias}${FORMATTED}`] = f;
      }
      out[alias] = !countLike && c.kind === 'money' && typeof v === 'number' ? money(v) : isLookupKind(c) ? String(v) : v;
    }
    results.push({ out, sort });
  }
  const aliasOrders = orders.filter((o) => o.alias !== null);
  for (const o of aliasOrders) {
    if (!scoped.some((s) => s.attr.alias === o.alias)) throw fetchErr.aliasNotFound(o.alias as string);
  }
  results.sort((a, b) => {
    for (const o of aliasOrders) {
      const c = compareValues(a.sort.get(o.alias as string), b.sort.get(o.alias as string));
      if (c !== 0) return o.descending ? -c : c;
    }
    return 0;
  });
  return results.map((r) => r.out);
}
