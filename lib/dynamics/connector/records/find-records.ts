/**
 * A few records of a table, newest first, optionally those whose primary name contains a text (or
 * whose id is a given GUID): what "Test flow" offers as trigger data ("a recent lead") and what a
 * lookup field's record search lists. The records are read without `$select`, as the Dynamics event
 * trigger reads them, so a test with one sees what a run would.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/order-rows
 */
import type { ConditionGroup, DataverseClient, DataverseRecord } from '../../client/types';
import type { MetadataCache } from '../../metadata/metadata-cache';
import { GUID_PATTERN } from '../guid';

export interface FoundRecord {
  id: string;
  /** The primary name column's value (a lead's full name, an account's name); null when it has none. */
  name: string | null;
  modifiedOn: string | null;
  record: DataverseRecord;
}

export interface FindRecordsOptions {
  table: string;
  search?: string;
  /** Default 10, at most 25: a list to pick from, not an export. */
  top?: number;
  signal?: AbortSignal;
}

export const MAX_FOUND_RECORDS = 25;

export async function findRecords(client: DataverseClient, cache: MetadataCache, options: FindRecordsOptions): Promise<FoundRecord[]> {
  const table = await cache.table(client, options.table, { signal: options.signal });
  const search = options.search?.trim();
  const hasModifiedOn = table.columns.some((c) => c.logicalName === 'modifiedon');
  let filter: ConditionGroup | undefined;
  if (search && GUID_PATTERN.test(search)) {
    filter = { match: 'all', conditions: [{ field: table.primaryIdAttribute, operator: 'eq', value: search, type: 'guid' }] };
  } else if (search && table.primaryNameAttribute) {
    filter = { match: 'all', conditions: [{ field: table.primaryNameAttribute, operator: 'contains', value: search }] };
  }
  const top = Math.min(Math.max(options.top ?? 10, 1), MAX_FOUND_RECORDS);
  const found: FoundRecord[] = [];
  for await (const page of client.retrievePages(
    table.entitySetName,
    {
      ...(filter ? { filter } : {}),
      ...(hasModifiedOn ? { orderBy: [{ field: 'modifiedon', descending: true }] } : {}),
      top,
      pageSize: top,
    },
    options.signal,
  )) {
    for (const record of page) {
      const id = record[table.primaryIdAttribute];
      if (typeof id !== 'string') continue;
      const name = table.primaryNameAttribute ? record[table.primaryNameAttribute] : null;
      found.push({
        id,
        name: typeof name === 'string' ? name : null,
        modifiedOn: typeof record.modifiedon === 'string' ? record.modifiedon : null,
        record,
      });
    }
    if (found.length >= top) break;
  }
  return found.slice(0, top);
}
