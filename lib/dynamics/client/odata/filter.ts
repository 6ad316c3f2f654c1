/**
 * Builds `$filter` text from a `ConditionGroup`. Column names are validated, values become
 * literals, so nothing a person types can change the query's structure. Date operators and `in`
 * use the fully qualified `Microsoft.Dynamics.CRM.*` query functions.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 */
import { DataverseError } from '../errors/dataverse-error';
import type { Condition, ConditionGroup } from '../types';
import { escapeLikeWildcards, formatLiteral, formatNumber, quoteString, type LiteralType } from './literals';
import { assertName, GUID_PATTERN } from './names';

type Operator = Condition['operator'];

const bad = (message: string): DataverseError => DataverseError.local('invalid_request', message);

const isGroup = (c: Condition | ConditionGroup): c is ConditionGroup => 'conditions' in c;

/** Lookup columns (`_x_value`) hold GUIDs, written bare. */
function literalFor(cond: Condition, value: unknown): string {
  const hinted: LiteralType | undefined = cond.type;
  if (!hinted && /^_[a-z0-9_]+_value$/.test(cond.field) && typeof value === 'string' && GUID_PATTERN.test(value))
    return value.toLowerCase();
  return formatLiteral(value, hinted);
}

function scalar(cond: Condition): string | number | boolean | null {
  const v = cond.value;
  if (Array.isArray(v)) throw bad(`The operator ${cond.operator} on ${cond.field} takes one value, not a list.`);
  if (v === undefined) throw bad(`The operator ${cond.operator} on ${cond.field} needs a value.`);
  return v;
}

function textValue(cond: Condition): string {
  const v = scalar(cond);
  if (v === null) throw bad(`The operator ${cond.operator} on ${cond.field} needs a text value.`);
  return String(v);
}

function wholeNumber(cond: Condition): string {
  const v = scalar(cond);
  const n = typeof v === 'number' ? v : Number(typeof v === 'string' ? v.trim() : NaN);
  if (!Number.isInteger(n) || n < 0 || n > 100_000)
    throw bad(`The operator ${cond.operator} on ${cond.field} needs a whole number of days.`);
  return formatNumber(n);
}

const crm = (fn: string, field: string, param?: string): string =>
  `Microsoft.Dynamics.CRM.${fn}(PropertyName=${quoteString(field)}${param === undefined ? '' : `,${param}`})`;

/** One builder per operator: the declarative table of what each operator writes. */
const OPERATORS: Record<Operator, (c: Condition) => string> = {
  eq: (c) => `${c.field} eq ${literalFor(c, scalar(c))}`,
  ne: (c) => `${c.field} ne ${literalFor(c, scalar(c))}`,
  gt: (c) => `${c.field} gt ${literalFor(c, scalar(c))}`,
  ge: (c) => `${c.field} ge ${literalFor(c, scalar(c))}`,
  lt: (c) => `${c.field} lt ${literalFor(c, scalar(c))}`,
  le: (c) => `${c.field} le ${literalFor(c, scalar(c))}`,
  contains: (c) => `contains(${c.field},${quoteString(escapeLikeWildcards(textValue(c)))})`,
  not_contains: (c) => `not contains(${c.field},${quoteString(escapeLikeWildcards(textValue(c)))})`,
  startswith: (c) => `startswith(${c.field},${quoteString(escapeLikeWildcards(textValue(c)))})`,
  endswith: (c) => `endswith(${c.field},${quoteString(escapeLikeWildcards(textValue(c)))})`,
  null: (c) => `${c.field} eq null`,
  not_null: (c) => `${c.field} ne null`,
  in: (c) => {
    const values = c.value;
    if (!Array.isArray(values) || values.length === 0) throw bad(`The operator in on ${c.field} needs a non-empty list of values.`);
    if (values.length > 1000) throw bad(`The operator in on ${c.field} accepts at most 1000 values.`);
    // Collection(Edm.String) parameter: a JSON array of double-quoted strings (single quotes are rejected).
    return crm('In', c.field, `PropertyValues=${JSON.stringify(values.map((v) => (typeof v === 'number' ? formatNumber(v) : String(v))))}`);
  },
  on: (c) => crm('On', c.field, `PropertyValue=${formatLiteral(textValue(c), 'string')}`),
  on_or_after: (c) => crm('OnOrAfter', c.field, `PropertyValue=${formatLiteral(textValue(c), 'string')}`),
  on_or_before: (c) => crm('OnOrBefore', c.field, `PropertyValue=${formatLiteral(textValue(c), 'string')}`),
  last_x_days: (c) => crm('LastXDays', c.field, `PropertyValue=${wholeNumber(c)}`),
  next_x_days: (c) => crm('NextXDays', c.field, `PropertyValue=${wholeNumber(c)}`),
};

function buildCondition(cond: Condition): string {
  assertName(cond.field, 'column name');
  const build = Object.hasOwn(OPERATORS, cond.operator) ? OPERATORS[cond.operator] : undefined;
  if (!build) throw bad(`Unknown operator ${JSON.stringify(String(cond.operator))}.`);
  return build(cond);
}

function buildGroup(group: ConditionGroup, depth: number): string | null {
  if (depth > 16) throw bad('Conditions are nested too deeply.');
  if (group.match !== 'all' && group.match !== 'any') throw bad('A condition group must match all or any.');
  const parts = group.conditions
    .map((c) => (isGroup(c) ? buildGroup(c, depth + 1) : buildCondition(c)))
    .filter((p): p is string => p !== null);
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0] ?? null;
  return parts.map((p) => `(${p})`).join(group.match === 'all' ? ' and ' : ' or ');
}

/**
 * The `$filter` expression for a condition group, or `null` when it has no conditions.
 *
 * @example
 * buildFilter({ match: 'all', conditions: [{ field: 'lastname', operator: 'eq', value: "O'Brien) or (1 eq 1" }] })
 * // "lastname eq 'O''Brien) or (1 eq 1'"
 */
export function buildFilter(group: ConditionGroup | undefined): string | null {
  if (!group) return null;
  return buildGroup(group, 0);
}
