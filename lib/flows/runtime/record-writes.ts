import type { Db } from '@/lib/db/database';
import { parseId } from '@/lib/dynamics/connector/ids';
import { recordFlowWrite } from '../triggers/flow-writes';
import type { ClaimedRun } from './run-store';

const WRITES = new Set(['create', 'update', 'upsert', 'delete']);

/**
 * After a Dynamics write step succeeded: remember which records this flow wrote, so its own event
 * trigger can skip the changes it caused (ignoreOwnWrites, no self-loops). Test runs count too: a
 * test that updates a lead must not start the started version of the same flow.
 */
export async function recordDynamicsWrites(db: Db, run: ClaimedRun, nodeType: string, output: unknown, at: number): Promise<void> {
  const parsed = parseId(nodeType);
  if (!parsed?.action || !WRITES.has(parsed.action)) return;
  for (const recordId of writtenIds(output)) {
    await recordFlowWrite(db, { ownerId: run.ownerId, flowId: run.flowId, table: parsed.table, recordId, at });
  }
}

/** Create and upsert answer `{ id }`; update and delete `{ ids }`. */
function writtenIds(output: unknown): string[] {
  if (typeof output !== 'object' || output === null) return [];
  const o = output as { id?: unknown; ids?: unknown };
  const ids = typeof o.id === 'string' ? [o.id] : Array.isArray(o.ids) ? o.ids.filter((x): x is string => typeof x === 'string') : [];
  return ids.slice(0, 5_000);
}
