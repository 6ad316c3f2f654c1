/**
 * Finds the ids of the rows matching conditions, reading at most `limit + 1` of them: enough to
 * know whether more than `limit` match without loading the rest. Pages are streamed and the
 * stream is closed early (the client stops following nextLinks).
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
 */
import type { ConditionGroup, DataverseClient } from '../../client/types';
import type { TableSchema } from '../../metadata/types';

export interface Matches {
  ids: string[];
  /** More rows matched than `limit`; `ids` then holds `limit + 1` of them. */
  exceeded: boolean;
}

/** @example const { ids, exceeded } = await findMatchingIds(client, contact, filter, 5) */
export async function findMatchingIds(
  client: DataverseClient,
  table: TableSchema,
  filter: ConditionGroup,
  limit: number,
  signal?: AbortSignal,
): Promise<Matches> {
  const wanted = limit + 1;
  const ids: string[] = [];
  const pages = client.retrievePages(
    table.entitySetName,
    {
      select: [table.primaryIdAttribute],
      filter,
      orderBy: [{ field: table.primaryIdAttribute }],
      top: wanted,
      pageSize: Math.min(wanted, 5000),
    },
    signal,
  );
  for await (const page of pages) {
    for (const row of page) {
      const id = row[table.primaryIdAttribute];
      if (typeof id === 'string') ids.push(id);
      if (ids.length >= wanted) break;
    }
    if (ids.length >= wanted) break;
  }
  return { ids, exceeded: ids.length > limit };
}
