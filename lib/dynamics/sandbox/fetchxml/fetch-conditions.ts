/**
 * FetchXML `<condition>` operators → row predicates. Comparison, string (`like` with `%`/`_`,
 * begins/ends-with), set (`in`, `not-in`, `between`), null and the date and user/business-unit
 * operators; the date ones run through the same code as the Web API's query functions
 * (`Microsoft.Dynamics.CRM.LastXDays`, …). Hierarchy, fiscal and multi-select operators are refused.
 * Strings compare case-insensitively, as SQL Server's default collation does.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference/operators
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/filter-rows
 */
import { isLookupKind, lookupProp, type TableInfo } from '../model/schema';
import { crmFunction } from '../odata/crm-functions';
import type { FilterNode as ODataNode } from '../odata/filter-parser';
import type { CrmFunctionContext } from '../odata/filter-types';
import { RowBinder } from '../odata/row-binder';
import { isLookupValue, type OrgStore } from '../store';
import type { ColumnDef, Row } from '../tables/types';
import { parseDateValue } from '../util/dates';
import { fetchErr } from './fetch-errors';
import type { ConditionNode } from './fetch-query';

export type RowPredicate = (row: Row | null) => boolean;

/** Date operators and the query function each one is. */
const DATE_FUNCTIONS: Record<string, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  tomorrow: 'Tomorrow',
  'last-seven-days': 'Last7Days',
  'next-seven-days': 'Next7Days',
  'last-week': 'LastWeek',
  'this-week': 'ThisWeek',
  'next-week': 'NextWeek',
  'last-month': 'LastMonth',
  'this-month': 'ThisMonth',
  'next-month': 'NextMonth',
  'last-year': 'LastYear',
  'this-year': 'ThisYear',
  'next-year': 'NextYear',
  on: 'On',
  'on-or-after': 'OnOrAfter',
  'on-or-before': 'OnOrBefore',
  'last-x-hours': 'LastXHours',
  'next-x-hours': 'NextXHours',
  'last-x-days': 'LastXDays',
  'next-x-days': 'NextXDays',
  'last-x-weeks': 'LastXWeeks',
  'next-x-weeks': 'NextXWeeks',
  'last-x-months': 'LastXMonths',
  'next-x-months': 'NextXMonths',
  'last-x-years': 'LastXYears',
  'next-x-years': 'NextXYears',
  'olderthan-x-minutes': 'OlderThanXMinutes',
  'olderthan-x-hours': 'OlderThanXHours',
  'olderthan-x-days': 'OlderThanXDays',
  'olderthan-x-weeks': 'OlderThanXWeeks',
  'olderthan-x-months': 'OlderThanXMonths',
  'olderthan-x-years': 'OlderThanXYears',
};
const USER_FUNCTIONS: Record<string, string> = {
  'eq-userid': 'EqualUserId',
  'ne-userid': 'NotEqualUserId',
  'eq-businessid': 'EqualBusinessId',
  'ne-businessid': 'NotEqualBusinessId',
};
/** Documented operators the sandbox does not emulate (hierarchies, fiscal calendars, multi-select choices, user teams and language). */
const NOT_EMULATED = new Set([
  'above',
  'eq-or-above',
  'under',
  'eq-or-under',
  'not-under',
  'eq-useroruserhierarchy',
  'eq-useroruserhierarchyandteams',
  'eq-userteams',
  'eq-useroruserteams',
  'eq-userlanguage',
  'contain-values',
  'not-contain-values',
  'in-fiscal-period',
  'in-fiscal-period-and-year',
  'in-fiscal-year',
  'in-or-after-fiscal-period-and-year',
  'in-or-before-fiscal-period-and-year',
  'last-fiscal-period',
  'last-fiscal-year',
  'last-x-fiscal-periods',
  'last-x-fiscal-years',
  'next-fiscal-period',
  'next-fiscal-year',
  'next-x-fiscal-periods',
  'next-x-fiscal-years',
  'this-fiscal-period',
  'this-fiscal-year',
]);

const NUMERIC = new Set(['integer', 'bigint', 'decimal', 'double', 'money', 'picklist', 'state', 'status']);

/** The comparable value of a column on a row: lookups by id, strings lower-cased, dates as epoch ms. */
export function comparable(c: ColumnDef, row: Row): unknown {
  const v = row[c.name];
  if (v === null || v === undefined) return null;
  if (isLookupKind(c)) return isLookupValue(v) ? v.id.toLowerCase() : null;
  if (c.kind === 'datetime') return typeof v === 'string' ? parseDateValue(v) : null;
  if (typeof v === 'string') return v.toLowerCase();
  return v;
}

function typeName(c: ColumnDef): string {
  if (NUMERIC.has(c.kind)) return c.kind === 'integer' || c.kind === 'picklist' ? 'System.Int32' : 'System.Decimal';
  if (c.kind === 'datetime') return 'System.DateTime';
  if (c.kind === 'boolean') return 'System.Boolean';
  if (isLookupKind(c) || c.kind === 'uniqueidentifier') return 'System.Guid';
  return 'System.String';
}

/** A condition value converted to the column's type (Dataverse's FormatException when it does not convert). */
function literal(info: TableInfo, c: ColumnDef, raw: string): unknown {
  const fail = () => fetchErr.conversion(raw, info.name, c.name, typeName(c));
  if (NUMERIC.has(c.kind)) {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw fail();
    return n;
  }
  if (c.kind === 'boolean') {
    if (raw === '1' || raw.toLowerCase() === 'true') return true;
    if (raw === '0' || raw.toLowerCase() === 'false') return false;
    throw fail();
  }
  if (c.kind === 'datetime') {
    const ms = parseDateValue(raw) ?? usDate(raw);
    if (ms === null) throw fail();
    return ms;
  }
  if (isLookupKind(c) || c.kind === 'uniqueidentifier') {
    const g = raw.replace(/^\{|\}$/g, '').toLowerCase();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(g)) throw fail();
    return g;
  }
  return raw.toLowerCase();
}

/** `3/25/2023` as FetchXML written by Advanced Find carries it. */
function usDate(raw: string): number | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw.trim());
  return m ? Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2])) : null;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * SQL LIKE with `%` and `_`, case-insensitive. Iterative with one backtrack point per `%`, so
 * O(text × pattern) at worst — no regular expression built from user input.
 */
export function likeMatch(text: string, pattern: string): boolean {
  const t = text.toLowerCase();
  const p = pattern.toLowerCase();
  let ti = 0;
  let pi = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '_' || (p[pi] !== '%' && p[pi] === t[ti]))) {
      ti++;
      pi++;
    } else if (pi < p.length && p[pi] === '%') {
      star = pi++;
      mark = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '%') pi++;
  return pi === p.length;
}

const lit = (value: unknown): ODataNode =>
  ({ k: 'lit', type: typeof value === 'number' ? 'number' : 'string', value, raw: String(value) }) as ODataNode;

export function compileCondition(cond: ConditionNode, info: TableInfo, store: OrgStore, crm: CrmFunctionContext): RowPredicate {
  const c = info.columns.get(cond.attribute);
  if (!c) throw fetchErr.noAttribute(info.name, cond.attribute);
  const op = cond.operator;
  const first = cond.values[0] ?? '';
  const get = (row: Row | null): unknown => (row ? comparable(c, row) : null);
  const needValue = (): unknown => {
    if (cond.values.length === 0) throw fetchErr.invalidValue('value', 'condition', '');
    return literal(info, c, first);
  };
  const stringValue = (): string => first;

  switch (op) {
    case 'eq':
    case 'ne':
    case 'neq':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      const v = needValue();
      return (row) => {
        const x = get(row);
        if (x === null) return false;
        const d = compare(x, v);
        if (op === 'eq') return d === 0;
        if (op === 'ne' || op === 'neq') return d !== 0;
        if (op === 'gt') return d > 0;
        if (op === 'ge') return d >= 0;
        if (op === 'lt') return d < 0;
        return d <= 0;
      };
    }
    case 'like':
    case 'not-like':
    case 'begins-with':
    case 'not-begin-with':
    case 'ends-with':
    case 'not-end-with': {
      if (cond.values.length === 0) throw fetchErr.invalidValue('value', 'condition', '');
      const raw = stringValue();
      const pattern = op.startsWith('begins') || op === 'not-begin-with' ? `${raw}%` : op.includes('end') ? `%${raw}` : raw;
      const negate = op.startsWith('not-');
      return (row) => {
        const x = row ? row[c.name] : null;
        if (typeof x !== 'string') return false;
        return likeMatch(x, pattern) !== negate;
      };
    }
    case 'in':
    case 'not-in': {
      if (cond.values.length === 0) throw fetchErr.invalidValue('value', 'condition', '');
      const set = new Set(cond.values.map((v) => String(literal(info, c, v))));
      return (row) => {
        const x = get(row);
        if (x === null) return false;
        return set.has(String(x)) === (op === 'in');
      };
    }
    case 'between':
    case 'not-between': {
      if (cond.values.length !== 2) throw fetchErr.invalidValue('value', 'condition', cond.values.join(','));
      const lo = literal(info, c, cond.values[0] as string);
      const hi = literal(info, c, cond.values[1] as string);
      return (row) => {
        const x = get(row);
        if (x === null) return false;
        const inside = compare(x, lo) >= 0 && compare(x, hi) <= 0;
        return inside === (op === 'between');
      };
    }
    case 'null':
      return (row) => get(row) === null;
    case 'not-null':
      return (row) => get(row) !== null;
  }
  const fn = DATE_FUNCTIONS[op] ?? USER_FUNCTIONS[op];
  if (fn) {
    const prop = isLookupKind(c) ? lookupProp(c.name) : c.name;
    const params = new Map<string, ODataNode>([['PropertyName', lit(prop)]]);
    if (/X|^On/.test(fn)) {
      if (cond.values.length === 0) throw fetchErr.invalidValue('value', 'condition', '');
      params.set('PropertyValue', lit(/X/.test(fn) ? Number(first) : first));
    }
    const pred = crmFunction(fn, params, new RowBinder(info, store, crm), '');
    return (row) => (row ? pred(row) === true : false);
  }
  if (NOT_EMULATED.has(op)) throw fetchErr.unsupportedOperator(op);
  throw fetchErr.operator(op);
}
