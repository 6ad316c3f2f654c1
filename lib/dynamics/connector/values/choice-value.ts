/**
 * Choices are shown and accepted as labels, written as values. A label matches case-insensitively
 * (and ignoring surrounding blanks); a number or a numeric string must be one of the values. An
 * unknown label fails with the column and the allowed labels, so the person can fix the mapping.
 */
import type { ChoiceOption, ColumnSchema } from '../../metadata/types';
import { ActionError } from '../errors';

export type ChoiceInput = string | number;

const describe = (options: readonly ChoiceOption[]) =>
  options
    .slice(0, 30)
    .map((o) => `"${o.label}" (${o.value})`)
    .join(', ');

/**
 * @example resolveChoice(genderColumn, 'female') // 2
 * @example resolveChoice(genderColumn, '2') // 2
 */
export function resolveChoice(column: ColumnSchema, input: ChoiceInput): number {
  const options = column.choices ?? [];
  if (typeof input === 'number' || /^-?\d+$/.test(input.trim())) {
    const value = typeof input === 'number' ? input : Number(input.trim());
    if (options.some((o) => o.value === value)) return value;
    throw new ActionError(
      'unknown_choice',
      `${value} is not a value of ${column.displayName} (${column.logicalName}). Allowed: ${describe(options)}.`,
    );
  }
  const wanted = input.trim().toLocaleLowerCase();
  const matches = options.filter((o) => o.label.trim().toLocaleLowerCase() === wanted);
  const [match] = matches;
  if (match && matches.length === 1) return match.value;
  if (matches.length > 1) {
    throw new ActionError(
      'unknown_choice',
      `"${input}" matches several choices of ${column.displayName} (${column.logicalName}): ${describe(matches)}. Use the value instead.`,
    );
  }
  throw new ActionError(
    'unknown_choice',
    `"${input}" is not a choice of ${column.displayName} (${column.logicalName}). Allowed: ${describe(options)}.`,
  );
}

/** Multi-select choices: an array, or labels/values separated by commas (Web API writes `"1,2"`). */
export function resolveChoices(column: ColumnSchema, input: ChoiceInput | readonly ChoiceInput[]): number[] {
  const items = Array.isArray(input) ? input : typeof input === 'string' ? input.split(',').filter((s) => s.trim() !== '') : [input];
  return [...new Set(items.map((i: ChoiceInput) => resolveChoice(column, i)))];
}

/** Booleans: true/false, 0/1, or the column's own labels ("Do Not Allow") and yes/no/true/false. */
export function resolveBoolean(column: ColumnSchema, input: boolean | string | number): boolean {
  if (typeof input === 'boolean') return input;
  if (input === 0 || input === 1) return input === 1;
  const text = String(input).trim().toLocaleLowerCase();
  if (['true', 'yes', '1'].includes(text)) return true;
  if (['false', 'no', '0'].includes(text)) return false;
  const match = column.choices?.find((o) => o.label.toLocaleLowerCase() === text);
  if (match) return match.value === 1;
  throw new ActionError(
    'unknown_choice',
    `"${input}" is not a value of ${column.displayName} (${column.logicalName}); use true/false or ${describe(column.choices ?? [])}.`,
  );
}
