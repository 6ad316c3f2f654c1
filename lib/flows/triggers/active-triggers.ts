import type { Db } from '@/lib/db/database';
import { kindOf } from '@/lib/flows/model/node-kinds';

export interface ActiveTrigger {
  ownerId: string;
  flowId: string;
  flowVersion: number;
  startedAt: string | null;
  /** The trigger node's id: the trigger_state key. */
  nodeId: string;
  type: string;
  accountId: string | undefined;
  /** The node's inputs, parsed by its kind's schema (defaults filled in). */
  inputs: Record<string, unknown>;
}

interface RawNode {
  id?: unknown;
  type?: unknown;
  params?: { accountId?: unknown; inputs?: unknown };
}

/** Started flows (`active` with a published version) whose published trigger matches `isType`. */
export async function activeTriggers(db: Db, isType: (type: string) => boolean): Promise<ActiveTrigger[]> {
  const rows = await db.db
    .selectFrom('flows')
    .innerJoin('flow_versions', (j) =>
      j.onRef('flow_versions.flow_id', '=', 'flows.id').onRef('flow_versions.version', '=', 'flows.published_version'),
    )
    .select(['flows.id', 'flows.owner_id', 'flows.published_version', 'flows.started_at', 'flow_versions.document_json'])
    .where('flows.status', '=', 'active')
    .where('flows.published_version', 'is not', null)
    .execute();
  const out: ActiveTrigger[] = [];
  for (const row of rows) {
    let nodes: RawNode[];
    try {
      nodes = ((JSON.parse(row.document_json) as { nodes?: RawNode[] }).nodes ?? []).filter((n) => typeof n === 'object' && n !== null);
    } catch {
      continue; // a stored document that does not parse cannot have been started; skip, never crash the tick
    }
    for (const node of nodes) {
      if (typeof node.type !== 'string' || typeof node.id !== 'string' || !isType(node.type)) continue;
      const kind = kindOf(node.type);
      const parsed = kind?.inputs.safeParse(node.params?.inputs ?? {});
      if (!parsed?.success) continue;
      out.push({
        ownerId: row.owner_id,
        flowId: row.id,
        flowVersion: Number(row.published_version),
        startedAt: row.started_at,
        nodeId: node.id,
        type: node.type,
        accountId: typeof node.params?.accountId === 'string' ? node.params.accountId : undefined,
        inputs: parsed.data as Record<string, unknown>,
      });
    }
  }
  return out;
}
