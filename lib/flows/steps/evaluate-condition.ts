import type { ConditionOperator } from '../model/conditions';

/**
 * If's conditions, evaluated on resolved values (expressions already evaluated). The rules, so a
 * flow author can predict them:
 * - numbers compare numerically; a numeric string (`"42"`, `"-1.5"`) next to a number is read as
 *   a number, so a header or a text column compares with a literal 42;
 * - two ISO 8601 dates (`2026-05-01`, `2026-05-01T10:00:00Z`, with an offset or not) compare as
 *   instants, whatever their formatting;
 * - strings compare by code point and are case-sensitive everywhere, contains/starts_with/ends_with
 *   included (lower-case both sides with `$lowercase()` for a case-insensitive test): one rule,
 *   no locale-dependent surprises;
 * - eq/ne on objects and arrays compare their JSON content; contains on a list tests membership;
 * - gt/ge/lt/le between values that do not compare (null, objects, a string and a boolean) are
 *   false, and so is their ne's opposite: never an exception in the middle of a run;
 * - is_empty: null, missing, '', [] and {} (a string of spaces is not empty).
 */
export interface ResolvedRule {
  left: unknown;
  operator: ConditionOperator;
  right?: unknown;
}
export interface ResolvedConditionGroup {
  match: 'all' | 'any';
  rules: readonly ResolvedRule[];
}

const NUMERIC = /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return undefined;
}

function asInstant(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

/** Negative, zero or positive; undefined when the two do not compare. */
function compare(left: unknown, right: unknown): number | undefined {
  const ln = asNumber(left);
  const rn = asNumber(right);
  // Numeric only when at least one side is a real number: two numeric strings ("007", "7") stay strings.
  if (ln !== undefined && rn !== undefined && (typeof left === 'number' || typeof right === 'number')) return ln - rn;
  const ld = asInstant(left);
  const rd = asInstant(right);
  if (ld !== undefined && rd !== undefined) return ld - rd;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  if (typeof left === 'boolean' && typeof right === 'boolean') return left === right ? 0 : undefined;
  return undefined;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function equals(left: unknown, right: unknown): boolean {
  if ((left === null || left === undefined) && (right === null || right === undefined)) return true;
  if (typeof left === 'object' && left !== null && typeof right === 'object' && right !== null) return canonical(left) === canonical(right);
  return compare(left, right) === 0;
}

export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function contains(left: unknown, right: unknown): boolean {
  if (typeof left === 'string') return right !== null && right !== undefined && typeof right !== 'object' && left.includes(String(right));
  if (Array.isArray(left)) return left.some((item) => equals(item, right));
  return false;
}

const strings = (l: unknown, r: unknown): l is string => typeof l === 'string' && typeof r === 'string';

const OPERATORS: Record<ConditionOperator, (left: unknown, right: unknown) => boolean> = {
  eq: equals,
  ne: (l, r) => !equals(l, r),
  gt: (l, r) => (compare(l, r) ?? Number.NaN) > 0,
  ge: (l, r) => (compare(l, r) ?? Number.NaN) >= 0,
  lt: (l, r) => (compare(l, r) ?? Number.NaN) < 0,
  le: (l, r) => (compare(l, r) ?? Number.NaN) <= 0,
  contains,
  not_contains: (l, r) => !contains(l, r),
  starts_with: (l, r) => strings(l, r) && l.startsWith(r as string),
  ends_with: (l, r) => strings(l, r) && l.endsWith(r as string),
  is_empty: (l) => isEmptyValue(l),
  is_not_empty: (l) => !isEmptyValue(l),
};

export const evaluateRule = (rule: ResolvedRule): boolean => OPERATORS[rule.operator](rule.left, rule.right);

/** @example evaluateConditionGroup({ match: 'any', rules: [{ left: 3, operator: 'gt', right: '2' }] }) // true */
export function evaluateConditionGroup(group: ResolvedConditionGroup): boolean {
  return group.match === 'all' ? group.rules.every(evaluateRule) : group.rules.some(evaluateRule);
}
