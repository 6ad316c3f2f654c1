/**
 * Runs a FetchXML query model over an organization's store: joins each `<link-entity>` through an
 * index built once per link (inner joins drop unmatched rows, outer joins keep them with no linked
 * row; a 1:N link yields a row per match), applies the filters (`entityname` conditions read the
 * linked row), and orders: choice columns by label and lookups by the related row's primary name, as
 * FetchXML does, strings case-insensitively, nulls first, ties by primary key.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/join-tables
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/filter-rows
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/order-rows
 */
import { isLookupKind } from '../model/schema';
import type { CrmFunctionContext } from '../odata/filter-types';
import { isLookupValue, type OrgStore } from '../store';
import type { ColumnDef, Row } from '../tables/types';
import { compileCondition, type RowPredicate } from './fetch-conditions';
import { fetchErr } from './fetch-errors';
import type { EntityNode, FetchQuery, FilterNode, LinkNode } from './fetch-query';

/** One result row: the root row and, per link-entity alias, its joined row (null for an unmatched outer join). */
export interface Joined {
  row: Row;
  linked: Map<string, Row | null>;
}

type JoinedPredicate = (j: Joined, own: Row | null) => boolean;

export interface EvalContext {
  store: OrgStore;
  crm: CrmFunctionContext;
  aliases: Map<string, LinkNode>;
}

function compileFilter(filter: FilterNode, scope: EntityNode, ctx: EvalContext): JoinedPredicate {
  const parts: JoinedPredicate[] = filter.conditions.map((cond) => {
    if (cond.entityName !== null) {
      const link = ctx.aliases.get(cond.entityName);
      if (!link) throw fetchErr.aliasNotFound(cond.entityName);
      const pred: RowPredicate = compileCondition(cond, link.info, ctx.store, ctx.crm);
      const alias = cond.entityName;
      return (j) => pred(j.linked.get(alias) ?? null);
    }
    const pred = compileCondition(cond, scope.info, ctx.store, ctx.crm);
    return (_j, own) => pred(own);
  });
  for (const f of filter.filters) parts.push(compileFilter(f, scope, ctx));
  if (filter.type === 'or') return (j, own) => parts.length === 0 || parts.some((p) => p(j, own));
  return (j, own) => parts.every((p) => p(j, own));
}

function compileFilters(node: EntityNode, ctx: EvalContext): JoinedPredicate | null {
  if (node.filters.length === 0) return null;
  const preds = node.filters.map((f) => compileFilter(f, node, ctx));
  return (j, own) => preds.every((p) => p(j, own));
}

/** The join key of a column's value: lookups by id, everything else by its lower-cased text. */
function joinKey(c: ColumnDef, row: Row): string | null {
  const v = row[c.name];
  if (v === null || v === undefined) return null;
  if (isLookupValue(v)) return v.id.toLowerCase();
  return String(v).toLowerCase();
}

interface CompiledLink {
  node: LinkNode;
  index: Map<string, Row[]>;
  filter: JoinedPredicate | null;
  links: CompiledLink[];
}

function compileLink(node: LinkNode, ctx: EvalContext): CompiledLink {
  const index = new Map<string, Row[]>();
  for (const r of ctx.store.rows(node.info.name)) {
    const k = joinKey(node.from, r);
    if (k === null) continue;
    const list = index.get(k);
    if (list) list.push(r);
    else index.set(k, [r]);
  }
  return { node, index, filter: compileFilters(node, ctx), links: node.links.map((l) => compileLink(l, ctx)) };
}

function expand(records: Joined[], link: CompiledLink, parentAlias: string | null): Joined[] {
  const out: Joined[] = [];
  for (const rec of records) {
    const parent = parentAlias === null ? rec.row : (rec.linked.get(parentAlias) ?? null);
    const key = parent ? joinKey(link.node.to, parent) : null;
    const candidates = key === null ? [] : (link.index.get(key) ?? []);
    const matches = link.filter ? candidates.filter((c) => (link.filter as JoinedPredicate)(rec, c)) : candidates;
    let produced: Joined[];
    if (matches.length === 0) {
      if (link.node.linkType === 'inner') continue;
      const linked = new Map(rec.linked);
      linked.set(link.node.alias, null);
      produced = [{ row: rec.row, linked }];
    } else {
      produced = matches.map((m) => {
        const linked = new Map(rec.linked);
        linked.set(link.node.alias, m);
        return { row: rec.row, linked };
      });
    }
    for (const child of link.links) produced = expand(produced, child, link.node.alias);
    out.push(...produced);
  }
  return out;
}

/** The value a column sorts by in FetchXML: choice label, lookup primary name, lower-cased text. */
export function sortValue(c: ColumnDef, row: Row | null, store: OrgStore): unknown {
  if (!row) return null;
  const v = row[c.name];
  if (v === null || v === undefined) return null;
  if (c.options && typeof v === 'number') return (c.options.find((o) => o.value === v)?.label ?? String(v)).toLowerCase();
  if (c.kind === 'boolean') return v === true ? 1 : 0;
  if (isLookupKind(c) && isLookupValue(v)) {
    const target = store.schema.tables.get(v.table);
    const related = target ? store.get(v.table, v.id) : undefined;
    const name = related && target ? related[target.def.primaryName] : null;
    return typeof name === 'string' ? name.toLowerCase() : null;
  }
  return typeof v === 'string' ? v.toLowerCase() : v;
}

export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

interface OrderKey {
  get: (j: Joined) => unknown;
  descending: boolean;
}

function orderKeys(node: EntityNode, alias: string | null, store: OrgStore, out: OrderKey[]): void {
  for (const o of node.orders) {
    if (!o.attribute) continue; // alias orders apply to aggregate results
    const c = o.attribute;
    out.push({
      get: alias === null ? (j) => sortValue(c, j.row, store) : (j) => sortValue(c, j.linked.get(alias) ?? null, store),
      descending: o.descending,
    });
  }
  for (const l of node.links) orderKeys(l, l.alias, store, out);
}

/** Every joined, filtered, ordered result row of the query (before paging). */
export function evaluate(query: FetchQuery, ctx: EvalContext): Joined[] {
  const root = query.root;
  const filter = compileFilters(root, ctx);
  const links = root.links.map((l) => compileLink(l, ctx));
  let records: Joined[] = [];
  for (const r of ctx.store.rows(root.info.name)) records.push({ row: r, linked: new Map() });
  for (const l of links) records = expand(records, l, null);
  if (filter) records = records.filter((j) => filter(j, j.row));
  const keys: OrderKey[] = [];
  orderKeys(root, null, ctx.store, keys);
  const pk = root.info.def.primaryId;
  const decorated = records.map((j, i) => ({ j, i, k: keys.map((k) => k.get(j)) }));
  decorated.sort((a, b) => {
    for (let n = 0; n < keys.length; n++) {
      const c = compareValues(a.k[n], b.k[n]);
      if (c !== 0) return (keys[n] as OrderKey).descending ? -c : c;
    }
    const c = compareValues(a.j.row[pk], b.j.row[pk]);
    return c !== 0 ? c : a.i - b.i;
  });
  return decorated.map((d) => d.j);
}

/** Whether the query's order can be carried by a paging cookie (not when a linked table's column orders it). */
export function supportsPagingCookie(query: FetchQuery): boolean {
  const linkOrders = (n: EntityNode): boolean => n.links.some((l) => l.orders.length > 0 || linkOrders(l));
  return !query.aggregate && !linkOrders(query.root);
}
