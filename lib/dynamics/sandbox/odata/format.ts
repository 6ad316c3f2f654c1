/**
 * `OData.Community.Display.V1.FormattedValue` texts: choice/state/status labels, yes/no labels,
 * lookup primary names, currency with symbol (`$20,000.00`), numbers with grouping, dates in the
 * user's locale (en-US) and time zone (UTC for the sandbox user).
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns
 */
import type { ColumnDef } from '../tables/types';
import { formatUserDate } from '../util/dates';

const grouped = (n: number, decimals: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

export function formattedValue(c: ColumnDef, value: unknown, currencySymbol: string): string | null {
  if (value === null || value === undefined) return null;
  switch (c.kind) {
    case 'picklist':
    case 'state':
    case 'status':
      return c.options?.find((o) => o.value === value)?.label ?? String(value);
    case 'boolean':
      return (c.booleanLabels ?? ['No', 'Yes'])[value === true ? 1 : 0] ?? null;
    case 'money':
      return typeof value === 'number' ? `${value < 0 ? '-' : ''}${currencySymbol}${grouped(Math.abs(value), 2)}` : null;
    case 'integer':
      return typeof value === 'number' ? grouped(value, 0) : null;
    case 'decimal':
    case 'double':
      return typeof value === 'number' ? grouped(value, c.precision ?? 2) : null;
    case 'datetime':
      return typeof value === 'string' ? formatUserDate(value, c.dateOnly === true) : null;
    default:
      return null;
  }
}
