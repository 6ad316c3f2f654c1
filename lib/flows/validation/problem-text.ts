import type { z } from 'zod';
import type { ColumnSchema } from '@/lib/dynamics/metadata/types';

/** How a column is named in a problem: its display name, and the logical name people map by. */
export const columnLabel = (c: Pick<ColumnSchema, 'displayName' | 'logicalName'>) =>
  c.displayName && c.displayName !== c.logicalName ? `${c.displayName} (${c.logicalName})` : c.logicalName;

/** A value as quoted in a problem, short. */
export function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const n = (v: number) => v.toLocaleString('en-US');

function range(c: ColumnSchema): string {
  if (c.minValue !== undefined && c.maxValue !== undefined) return ` from ${n(c.minValue)} to ${n(c.maxValue)}`;
  if (c.minValue !== undefined) return ` of at least ${n(c.minValue)}`;
  if (c.maxValue !== undefined) return ` of at most ${n(c.maxValue)}`;
  return '';
}

const labels = (c: ColumnSchema) =>
  (c.choices ?? [])
    .slice(0, 30)
    .map((o) => `"${o.label}"`)
    .join(', ');

/** What a column takes, in words, by type: the sentence a value that does not fit is answered with. */
const EXPECTATION: Record<ColumnSchema['type'], (c: ColumnSchema) => string> = {
  uniqueidentifier: () => 'a record id (GUID) like 00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
  string: (c) => (c.maxLength ? `text of at most ${n(c.maxLength)} characters` : 'text'),
  memo: (c) => (c.maxLength ? `text of at most ${n(c.maxLength)} characters` : 'text'),
  integer: (c) => `a whole number${range(c)}`,
  bigint: (c) => `a whole number${range(c)}`,
  decimal: (c) => `a number${range(c)}`,
  double: (c) => `a number${range(c)}`,
  money: (c) => `an amount${range(c)}`,
  boolean: (c) => `yes or no (true/false${c.choices?.length ? ` or ${labels(c)}` : ''})`,
  datetime: (c) => (c.dateOnly ? 'a date like 2026-05-31' : 'a date and time like 2026-05-31T09:30:00Z'),
  choice: (c) => `one of ${labels(c)}`,
  multichoice: (c) => `a list of ${labels(c)}`,
  state: (c) => `one of ${labels(c)}`,
  status: (c) => `one of ${labels(c)}`,
  lookup: (c) => lookupExpectation(c),
  customer: (c) => lookupExpectation(c),
  owner: (c) => lookupExpectation(c),
};

function lookupExpectation(c: ColumnSchema): string {
  const tables = (c.targets ?? []).map((t) => t.table);
  if (tables.length === 1) return `the id (GUID) of a ${tables[0]} record`;
  return `a record of ${tables.join(' or ')} given as { "table": …, "id": … }`;
}

export const expectationOf = (c: ColumnSchema) => EXPECTATION[c.type](c);

/** "First Name (firstname) takes text of at most 50 characters; 42 does not fit." */
export function valueTypeMessage(c: ColumnSchema, value: unknown): string {
  if (value === null) return `${columnLabel(c)} cannot be cleared: it is required.`;
  if (typeof value === 'string' && c.maxLength && value.length > c.maxLength && (c.type === 'string' || c.type === 'memo'))
    return `${columnLabel(c)} takes text of at most ${n(c.maxLength)} characters; this text has ${n(value.length)}.`;
  return `${columnLabel(c)} takes ${expectationOf(c)}; ${preview(value)} does not fit.`;
}

/** A zod issue about a step setting (not a column), in words. */
export function settingMessage(issue: z.core.$ZodIssue): string {
  const setting = `The "${issue.path.map(String).join('.')}" setting`;
  const num = (v: number | bigint) => n(Number(v));
  switch (issue.code) {
    case 'too_big':
      return `${setting} is at most ${num(issue.maximum)}.`;
    case 'too_small':
      return `${setting} is at least ${num(issue.minimum)}.`;
    case 'invalid_value':
      return `${setting} is one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'invalid_type':
      return `${setting} takes ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}.`;
    default:
      return `${setting}: ${issue.message}`;
  }
}
