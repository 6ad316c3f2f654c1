/**
 * OData literals for `$filter` and keys. Strings are quoted with `'` doubled, so
 * `O'Brien) or (1 eq 1` stays data; numbers must be finite; datetimes and GUIDs are emitted bare
 * only when they match a strict pattern.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 */
import { DataverseError } from '../errors/dataverse-error';
import { GUID_PATTERN } from './names';

export type LiteralType = 'string' | 'number' | 'boolean' | 'datetime' | 'date' | 'guid';

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `'…'` with every `'` doubled. */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function bad(message: string): DataverseError {
  return DataverseError.local('invalid_request', message);
}

/** A finite number without exponent notation (OData has no `1e21` for decimals). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw bad(`The number ${String(value)} cannot be sent to Dataverse.`);
  if (Number.isInteger(value)) return BigInt(value).toString();
  const text = value.toString();
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Formats a value as an OData literal. Without a `type`, strings are quoted unless they are a
 * strict ISO datetime; `guid` requires a real GUID.
 */
export function formatLiteral(value: unknown, type?: LiteralType): string {
  if (value === null) return 'null';
  switch (type) {
    case 'number':
      if (typeof value === 'number') return formatNumber(value);
      if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return value.trim();
      throw bad('Expected a number.');
    case 'boolean':
      if (typeof value === 'boolean') return String(value);
      if (value === 'true' || value === 'false') return value;
      throw bad('Expected true or false.');
    case 'guid':
      if (typeof value === 'string' && GUID_PATTERN.test(value)) return value.toLowerCase();
      throw bad('Expected a GUID.');
    case 'datetime':
      if (value instanceof Date) return value.toISOString();
      if (typeof value === 'string' && (ISO_DATETIME.test(value) || ISO_DATE.test(value)))
        return ISO_DATE.test(value) ? `${value}T00:00:00Z` : value;
      throw bad('Expected an ISO date and time like 2024-01-31T12:00:00Z.');
    case 'date':
      if (typeof value === 'string' && ISO_DATE.test(value)) return value;
      throw bad('Expected a date like 2024-01-31.');
    case 'string':
      return quoteString(String(value));
    default:
      break;
  }
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return ISO_DATETIME.test(value) ? value : quoteString(value);
  throw bad(`A ${typeof value} cannot be used as a value in a query.`);
}

/** Escapes SQL-style wildcards Dataverse honours inside `contains`/`startswith`/`endswith`. */
export function escapeLikeWildcards(value: string): string {
  return value.replace(/[[%_]/g, (c) => `[${c}]`);
}
