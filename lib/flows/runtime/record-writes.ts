import { parseId } from '@/lib/dynamics/connector/ids';
import type { FlowWrite } from '../triggers/flow-writes';

const WRITES = new Set(['create', 'update', 'upsert', 'delete']);

/**
 * After a Dynamics write step succeeded: which records this flow wrote, so its own event trigger
 * can skip the changes it caused (ignoreOwnWrites, no self-loops). Saved with the step's record in
 * one transaction. Test runs count too: a test that updates a lead must not start the started
 * version of the same flow. Pure.
 */
export function dynamicsWritesOf(run: { ownerId: string; flowId: string }, nodeType: string, output: unknown, at: number): FlowWrite[] {
  const parsed = parseId(nodeType);
  if (!parsed?.action || !WRITES.has(parsed.action)) return [];
  return writtenIds(output).map((recordId) => ({ ownerId: run.ownerId, flowId: run.flowId, table: parsed.table, recordId, at }));
}

/** Create and upsert answer `{ id }`; update and delete `{ ids }`. */
function writtenIds(output: unknown): string[] {
  if (typeof output !== 'object' || output === null) return [];
  const o = output as { id?: unknown; ids?: unknown };
  const ids = typeof o.id === 'string' ? [o.id] : Array.isArray(o.ids) ? o.ids.filter((x): x is string => typeof x === 'string') : [];
  return ids.slice(0, 5_000);
}
