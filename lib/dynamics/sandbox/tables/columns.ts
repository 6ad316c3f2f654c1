/**
 * Column builders so table files stay declarative. MetadataIds are derived from the table and
 * column names (stable across runs, like real orgs where they never change).
 */
import { createHash } from 'node:crypto';
import type { ChoiceOption, ColumnDef, ColumnKind, LookupTarget, RequiredLevel } from './types';

export function stableGuid(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Extra = Partial<Omit<ColumnDef, 'name' | 'kind' | 'displayName' | 'metadataId'>>;

function schemaNameOf(name: string): string {
  // System columns use PascalCase schema names (e.g. AccountNumber); we approximate by
  // capitalising the first letter, which is what discovery code relies on (SchemaName present).
  if (name.startsWith('new_')) return `new_${name.slice(4, 5).toUpperCase()}${name.slice(5)}`;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function col(table: string, name: string, kind: ColumnKind, displayName: string, extra: Extra = {}): ColumnDef {
  return {
    name,
    kind,
    displayName,
    schemaName: extra.schemaName ?? schemaNameOf(name),
    required: extra.required ?? 'None',
    validForCreate: extra.validForCreate ?? true,
    validForUpdate: extra.validForUpdate ?? true,
    metadataId: stableGuid('attribute', table, name),
    ...extra,
  };
}

export const str = (t: string, n: string, d: string, maxLength: number, required: RequiredLevel = 'None', extra: Extra = {}) =>
  col(t, n, 'string', d, { maxLength, required, ...extra });
export const memo = (t: string, n: string, d: string, maxLength = 2000, extra: Extra = {}) => col(t, n, 'memo', d, { maxLength, ...extra });
export const int = (t: string, n: string, d: string, minValue = -2147483648, maxValue = 2147483647, extra: Extra = {}) =>
  col(t, n, 'integer', d, { minValue, maxValue, ...extra });
export const money = (t: string, n: string, d: string, extra: Extra = {}) =>
  col(t, n, 'money', d, { minValue: -922337203685477, maxValue: 922337203685477, precision: 2, ...extra });
export const dec = (t: string, n: string, d: string, precision = 2, extra: Extra = {}) =>
  col(t, n, 'decimal', d, { minValue: -100000000000, maxValue: 100000000000, precision, ...extra });
export const bool = (t: string, n: string, d: string, labels: [string, string] = ['No', 'Yes'], extra: Extra = {}) =>
  col(t, n, 'boolean', d, { booleanLabels: labels, defaultValue: false, ...extra });
export const date = (t: string, n: string, d: string, dateOnly = false, extra: Extra = {}) =>
  col(t, n, 'datetime', d, { dateOnly, ...extra });
export const choice = (t: string, n: string, d: string, options: ChoiceOption[], extra: Extra = {}) =>
  col(t, n, 'picklist', d, { options, optionSetName: `${t}_${n}`, ...extra });

export function lookup(t: string, n: string, d: string, target: string, relationship: string, extra: Extra = {}): ColumnDef {
  const navigation = extra.schemaName && n.startsWith('new_') ? extra.schemaName : n;
  return col(t, n, 'lookup', d, { targets: [{ table: target, navigation, relationship }], ...extra });
}

/**
 * Customer lookups: one column, one navigation property per target, `<column>_<target>`, e.g. contact's
 * `parentcustomerid_account` and `parentcustomerid_contact` (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-navigation-properties).
 */
export function customer(t: string, n: string, d: string, relPrefix: string, extra: Extra = {}): ColumnDef {
  const targets: LookupTarget[] = [
    { table: 'account', navigation: `${n}_account`, relationship: `${relPrefix}_accounts` },
    { table: 'contact', navigation: `${n}_contact`, relationship: `${relPrefix}_contacts` },
  ];
  return col(t, n, 'customer', d, { targets, ...extra });
}

export function option(value: number, label: string, extra: Partial<ChoiceOption> = {}): ChoiceOption {
  return { value, label, ...extra };
}
