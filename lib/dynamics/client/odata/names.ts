/**
 * Validation of every name and id that goes into a URL, so no name or id (from metadata, a flow or
 * a person) can inject OData syntax such as `'`, `)`, `$`, `/` or `..`. Table (entity set) and
 * column names come from metadata and must match `^[a-z_][a-z0-9_]*$`; navigation properties keep
 * their schema casing (`Account_Tasks`, `parentcustomerid_account`); GUIDs are strictly validated.
 */
import { DataverseError } from '../errors/dataverse-error';

export const NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;
export const NAVIGATION_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalid(what: string, value: unknown): DataverseError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
  return DataverseError.local('invalid_request', `Invalid ${what}: ${shown}.`);
}

/** A table's entity set name or a column's logical name. */
export function assertName(name: unknown, what = 'name'): string {
  if (typeof name !== 'string' || name.length > 128 || !NAME_PATTERN.test(name)) throw invalid(what, name);
  return name;
}

export function assertNavigationProperty(name: unknown): string {
  if (typeof name !== 'string' || name.length > 128 || !NAVIGATION_PATTERN.test(name)) throw invalid('navigation property', name);
  return name;
}

/** A GUID, braces allowed (`{…}` as shown by Dynamics); returned lower-case without braces. */
export function assertGuid(id: unknown, what = 'id'): string {
  if (typeof id !== 'string') throw invalid(what, id);
  const bare = id.startsWith('{') && id.endsWith('}') ? id.slice(1, -1) : id;
  if (!GUID_PATTERN.test(bare)) throw invalid(what, id);
  return bare.toLowerCase();
}

export const isGuid = (v: unknown): v is string => typeof v === 'string' && GUID_PATTERN.test(v);
