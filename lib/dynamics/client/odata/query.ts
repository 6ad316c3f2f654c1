/**
 * Query strings, paths and `Prefer` headers for the Web API. Everything is validated here; values
 * are URL-encoded so reserved characters stay data.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview (query options),
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results (paging) and
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors (`Prefer`)
 */
import { DataverseError } from '../errors/dataverse-error';
import type { QueryOptions, RowKey } from '../types';
import { buildFilter } from './filter';
import { formatLiteral } from './literals';
import { assertGuid, assertName, assertNavigationProperty } from './names';

const bad = (message: string): DataverseError => DataverseError.local('invalid_request', message);

/** `$select`, `$filter`, `$orderby`, `$top`, `$expand` as `key=value` pairs (values encoded). */
export function buildQueryString(
  opts: Pick<QueryOptions, 'select' | 'filter' | 'orderBy' | 'top' | 'expand'> & { count?: boolean },
): string {
  const parts: string[] = [];
  if (opts.select?.length) parts.push(`$select=${opts.select.map((c) => assertName(c, 'column name')).join(',')}`);
  const filter = buildFilter(opts.filter);
  if (filter) parts.push(`$filter=${encodeURIComponent(filter)}`);
  if (opts.orderBy?.length) {
    const order = opts.orderBy.map((o) => `${assertName(o.field, 'column name')} ${o.descending ? 'desc' : 'asc'}`).join(',');
    parts.push(`$orderby=${encodeURIComponent(order)}`);
  }
  if (opts.top !== undefined) {
    if (!Number.isInteger(opts.top) || opts.top < 1 || opts.top > 5000) throw bad('top must be a whole number between 1 and 5000.');
    parts.push(`$top=${opts.top}`);
  }
  if (opts.expand?.length) {
    const expand = opts.expand
      .map((e) => {
        const nav = assertNavigationProperty(e.navigationProperty);
        return e.select?.length ? `${nav}($select=${e.select.map((c) => assertName(c, 'column name')).join(',')})` : nav;
      })
      .join(',');
    parts.push(`$expand=${encodeURIComponent(expand)}`);
  }
  if (opts.count) parts.push('$count=true');
  return parts.join('&');
}

/** The key segment: `(<guid>)` or `(col1='v',col2=2)` for alternate keys. */
export function formatKey(key: RowKey): string {
  if ('id' in key) return `(${assertGuid(key.id)})`;
  const entries = Object.entries(key.alternateKey ?? {});
  if (!entries.length) throw bad('An alternate key needs at least one column.');
  const parts = entries.map(([col, value]) => {
    assertName(col, 'key column');
    if (typeof value !== 'string' && typeof value !== 'number') throw bad(`The key value for ${col} must be text or a number.`);
    return `${col}=${encodeURIComponent(formatLiteral(value, typeof value === 'number' ? 'number' : 'string'))}`;
  });
  return `(${parts.join(',')})`;
}

/** `accounts` (validated). */
export const collectionPath = (entitySet: string): string => assertName(entitySet, 'table (entity set) name');

/** `accounts(<guid>)` or `accounts(accountnumber='A-1')`. */
export const rowPath = (entitySet: string, key: RowKey): string => `${collectionPath(entitySet)}${formatKey(key)}`;

/** Joins a path and a query string. */
export const withQuery = (path: string, query: string): string => (query ? `${path}?${query}` : path);

export interface PreferOptions {
  returnRepresentation?: boolean;
  formattedValues?: boolean;
  maxPageSize?: number;
  trackChanges?: boolean;
}

/** One comma-separated `Prefer` header value, or undefined when nothing is preferred. */
export function buildPrefer(opts: PreferOptions): string | undefined {
  const prefs: string[] = [];
  if (opts.returnRepresentation) prefs.push('return=representation');
  if (opts.formattedValues)
    prefs.push(
      'odata.include-annotations="OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.associatednavigationproperty,Microsoft.Dynamics.CRM.lookuplogicalname"',
    );
  if (opts.maxPageSize !== undefined) {
    if (!Number.isInteger(opts.maxPageSize) || opts.maxPageSize < 1 || opts.maxPageSize > 5000)
      throw bad('The page size must be between 1 and 5000.');
    prefs.push(`odata.maxpagesize=${opts.maxPageSize}`);
  }
  if (opts.trackChanges) prefs.push('odata.track-changes');
  return prefs.length ? prefs.join(',') : undefined;
}

const METADATA_PATH =
  /^(?:\$metadata|[A-Za-z][A-Za-z0-9_]*(?:\([A-Za-z0-9_='%-]+\))?)(?:\/[A-Za-z0-9_.]+(?:\([A-Za-z0-9_='%-]+\))?)*(?:\?[A-Za-z0-9_$=,'%.()/&;@ *+-]*)?$/;

/**
 * Checks a metadata path handed to `getMetadata` (built by lib/dynamics/metadata from validated
 * names): relative, no `..`, no scheme, no whitespace.
 */
export function assertMetadataPath(path: string): string {
  if (typeof path !== 'string' || path.length > 4000 || path.includes('..') || path.includes('//') || !METADATA_PATH.test(path)) {
    throw bad(`Invalid metadata path ${JSON.stringify(String(path).slice(0, 80))}.`);
  }
  return path.replace(/ /g, '%20');
}
