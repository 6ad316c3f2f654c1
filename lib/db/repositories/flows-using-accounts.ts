import type { Db } from '@/lib/db/database';

export interface FlowRef {
  id: string;
  name: string;
  status: string;
}

/**
 * Which of the owner's flows use each account, read from the current version of every flow.
 * Flow documents refer to accounts by id (`"accountId": "<id>"`), so a rename never breaks them.
 */
export async function flowsUsingAccounts(db: Db, ownerId: string, accountIds: readonly string[]): Promise<Map<string, FlowRef[]>> {
  const result = new Map<string, FlowRef[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return result;
  const rows = await db.db
    .selectFrom('flows')
    .innerJoin('flow_versions', (join) =>
      join.onRef('flow_versions.flow_id', '=', 'flows.id').onRef('flow_versions.version', '=', 'flows.current_version'),
    )
    .select(['flows.id', 'flows.name', 'flows.status', 'flow_versions.document_json'])
    .where('flows.owner_id', '=', ownerId)
    .where('flow_versions.owner_id', '=', ownerId)
    .execute();
  for (const row of rows) {
    const used = accountIdsIn(row.document_json);
    for (const accountId of used) result.get(accountId)?.push({ id: row.id, name: row.name, status: row.status });
  }
  return result;
}

/** Every `accountId` string anywhere in a flow document. */
export function accountIdsIn(documentJson: string): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'accountId' && typeof inner === 'string') found.add(inner);
        else visit(inner);
      }
    }
  };
  try {
    visit(JSON.parse(documentJson));
  } catch {
    // A document that does not parse refers to nothing.
  }
  return found;
}
