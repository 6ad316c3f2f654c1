/**
 * Dataverse query functions usable in `$filter` as `Microsoft.Dynamics.CRM.<Name>(PropertyName=…,
 * PropertyValue=…|PropertyValues=[…])`. Dates are evaluated in UTC (the sandbox user's time zone).
 * Fiscal functions use calendar years. Hierarchy functions are not emulated and answer 400.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/queryfunctions
 */
import { DataverseError, codes } from '../errors';
import { parseDateValue } from '../util/dates';
import type { FilterNode } from './filter-parser';
import type { Binder, Getter } from './filter-types';

const DAY = 86_400_000;
const startOfDay = (ms: number): number => Math.floor(ms / DAY) * DAY;
const startOfWeek = (ms: number): number => startOfDay(ms) - new Date(ms).getUTCDay() * DAY;
const startOfMonth = (ms: number, add = 0): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1);
};
const startOfYear = (ms: number, add = 0): number => Date.UTC(new Date(ms).getUTCFullYear() + add, 0, 1);
const addMonths = (ms: number, n: number): number => {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.getTime();
};

function litValue(node: FilterNode | undefined, fn: string, param: string): unknown {
  if (!node) throw new DataverseError(400, codes.odata, `The function 'Microsoft.Dynamics.CRM.${fn}' requires the parameter '${param}'.`);
  if (node.k !== 'lit')
    throw new DataverseError(400, codes.odata, `The parameter '${param}' of 'Microsoft.Dynamics.CRM.${fn}' must be a literal value.`);
  return node.value;
}

type Range = [number, number]; // [from, to)

function dateRange(name: string, x: number, now: number, valueDate: number | null): Range | 'older' | null {
  const today = startOfDay(now);
  switch (name) {
    case 'Today':
      return [today, today + DAY];
    case 'Yesterday':
      return [today - DAY, today];
    case 'Tomorrow':
      return [today + DAY, today + 2 * DAY];
    case 'Last7Days':
      return [today - 7 * DAY, now + 1];
    case 'Next7Days':
      return [now, today + 8 * DAY];
    case 'LastXHours':
      return [now - x * 3_600_000, now + 1];
    case 'NextXHours':
      return [now, now + x * 3_600_000];
    case 'LastXDays':
      return [today - x * DAY, now + 1];
    case 'NextXDays':
      return [now, today + (x + 1) * DAY];
    case 'LastXWeeks':
      return [today - 7 * x * DAY, now + 1];
    case 'NextXWeeks':
      return [now, today + (7 * x + 1) * DAY];
    case 'LastXMonths':
      return [addMonths(today, -x), now + 1];
    case 'NextXMonths':
      return [now, addMonths(today, x) + DAY];
    case 'LastXYears':
      return [addMonths(today, -12 * x), now + 1];
    case 'NextXYears':
      return [now, addMonths(today, 12 * x) + DAY];
    case 'ThisWeek':
      return [startOfWeek(now), startOfWeek(now) + 7 * DAY];
    case 'LastWeek':
      return [startOfWeek(now) - 7 * DAY, startOfWeek(now)];
    case 'NextWeek':
      return [startOfWeek(now) + 7 * DAY, startOfWeek(now) + 14 * DAY];
    case 'ThisMonth':
      return [startOfMonth(now), startOfMonth(now, 1)];
    case 'LastMonth':
      return [startOfMonth(now, -1), startOfMonth(now)];
    case 'NextMonth':
      return [startOfMonth(now, 1), startOfMonth(now, 2)];
    case 'ThisYear':
    case 'ThisFiscalYear':
      return [startOfYear(now), startOfYear(now, 1)];
    case 'LastYear':
    case 'LastFiscalYear':
      return [startOfYear(now, -1), startOfYear(now)];
    case 'NextYear':
    case 'NextFiscalYear':
      return [startOfYear(now, 1), startOfYear(now, 2)];
    case 'On':
      return valueDate === null ? null : [startOfDay(valueDate), startOfDay(valueDate) + DAY];
    case 'OnOrAfter':
      return valueDate === null ? null : [startOfDay(valueDate), Number.MAX_SAFE_INTEGER];
    case 'OnOrBefore':
      return valueDate === null ? null : [Number.MIN_SAFE_INTEGER, startOfDay(valueDate) + DAY];
    case 'InFiscalYear':
      return [Date.UTC(x, 0, 1), Date.UTC(x + 1, 0, 1)];
    default:
      return null;
  }
}

const OLDER: Record<string, number> = {
  OlderThanXMinutes: 60_000,
  OlderThanXHours: 3_600_000,
  OlderThanXDays: DAY,
  OlderThanXWeeks: 7 * DAY,
};

const NEEDS_X = /X|InFiscalYear/;
const NEEDS_DATE = new Set(['On', 'OnOrAfter', 'OnOrBefore']);

export function crmFunction(name: string, params: Map<string, FilterNode>, binder: Binder, text: string): Getter {
  void text;
  const propName = litValue(params.get('PropertyName'), name, 'PropertyName');
  if (typeof propName !== 'string')
    throw new DataverseError(400, codes.odata, `PropertyName of 'Microsoft.Dynamics.CRM.${name}' must be a string.`);
  const prop = binder.property(propName);
  const ctx = binder.crm;

  switch (name) {
    case 'In':
    case 'NotIn': {
      const values = litValue(params.get('PropertyValues'), name, 'PropertyValues');
      if (!Array.isArray(values))
        throw new DataverseError(400, codes.odata, `PropertyValues of 'Microsoft.Dynamics.CRM.${name}' must be a collection.`);
      const set = new Set(values.map((v) => String(v).toLowerCase()));
      const positive = name === 'In';
      return (row) => {
        const v = prop.get(row);
        const hit = v !== null && v !== undefined && set.has(String(v).toLowerCase());
        return positive ? hit : !hit && v !== null && v !== undefined;
      };
    }
    case 'Between':
    case 'NotBetween': {
      const values = litValue(params.get('PropertyValues'), name, 'PropertyValues');
      if (!Array.isArray(values) || values.length !== 2)
        throw new DataverseError(400, codes.odata, `PropertyValues of 'Microsoft.Dynamics.CRM.${name}' must contain two values.`);
      const asNum = (v: unknown): number =>
        prop.type === 'datetime' || prop.type === 'date' ? (parseDateValue(String(v)) ?? NaN) : Number(v);
      const lo = asNum(values[0]);
      const hi = asNum(values[1]);
      const positive = name === 'Between';
      return (row) => {
        const raw = prop.get(row);
        if (raw === null || raw === undefined) return false;
        const v = asNum(raw);
        const inside = v >= lo && v <= hi;
        return positive ? inside : !inside;
      };
    }
    case 'EqualUserId':
    case 'NotEqualUserId':
    case 'EqualBusinessId':
    case 'NotEqualBusinessId': {
      const target = name.endsWith('UserId') ? ctx.userId : ctx.businessUnitId;
      const positive = name.startsWith('Equal');
      return (row) => {
        const v = prop.get(row);
        const hit = typeof v === 'string' && v.toLowerCase() === target;
        return positive ? hit : !hit;
      };
    }
  }

  if (
    /^(Above|AboveOrEqual|Under|UnderOrEqual|NotUnder|EqualUserOrUserHierarchy.*|EqualUserTeams|EqualUserOrUserTeams|EqualUserLanguage|ContainValues|DoesNotContainValues|.*FiscalPeriod.*|LastXFiscal.*|NextXFiscal.*)$/.test(
      name,
    )
  ) {
    throw new DataverseError(
      400,
      codes.odata,
      `The query function 'Microsoft.Dynamics.CRM.${name}' is not supported by the Dynamics 365 sandbox.`,
    );
  }

  const x = NEEDS_X.test(name) ? Number(litValue(params.get('PropertyValue'), name, 'PropertyValue')) : 0;
  if (NEEDS_X.test(name) && !Number.isFinite(x))
    throw new DataverseError(400, codes.odata, `PropertyValue of 'Microsoft.Dynamics.CRM.${name}' must be a number.`);
  let valueDate: number | null = null;
  if (NEEDS_DATE.has(name)) {
    valueDate = parseDateValue(String(litValue(params.get('PropertyValue'), name, 'PropertyValue')));
    if (valueDate === null) throw new DataverseError(400, codes.odata, `PropertyValue of 'Microsoft.Dynamics.CRM.${name}' must be a date.`);
  }
  const toMs = (v: unknown): number | null => (typeof v === 'string' ? parseDateValue(v) : null);

  if (name in OLDER || name === 'OlderThanXMonths' || name === 'OlderThanXYears') {
    return (row) => {
      const v = toMs(prop.get(row));
      if (v === null) return false;
      const now = ctx.now();
      const cutoff =
        name === 'OlderThanXMonths'
          ? addMonths(now, -x)
          : name === 'OlderThanXYears'
            ? addMonths(now, -12 * x)
            : now - x * (OLDER[name] ?? DAY);
      return v < cutoff;
    };
  }
  if (dateRange(name, x, ctx.now(), valueDate ?? 0) === null) {
    throw new DataverseError(400, codes.odata, `Could not find a function named 'Microsoft.Dynamics.CRM.${name}'.`);
  }
  return (row) => {
    const v = toMs(prop.get(row));
    if (v === null) return false;
    const range = dateRange(name, x, ctx.now(), valueDate);
    if (!range || range === 'older') return false;
    return v >= range[0] && v < range[1];
  };
}
