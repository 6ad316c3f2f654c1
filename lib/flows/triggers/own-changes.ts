import type { Db } from '@/lib/db/database';
import type { RecordEvent } from '@/lib/dynamics/connector/triggers/poll-types';
import { isOwnWrite, OWN_WRITE_WINDOW_MS } from './flow-writes';

/** Ids per `in (…)` list: well inside SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/**
 * The events of one poll that the flow caused itself (`ignoreOwnWrites`). One query first finds the
 * records the flow wrote at all, so a poll of hundreds of changes by others costs one look-up; the
 * candidates are then judged by `isOwnWrite` (flow-writes.ts: the write lands within the window of
 * the change's `modifiedon`). A deletion has no stamp: it is the flow's own when the flow wrote that
 * record since the previous poll began (less the window), as its delete step does just before.
 */
export async function ownChanges(
  db: Db,
  flowId: string,
  table: string,
  events: readonly RecordEvent[],
  previousPollAt: string | null | undefined,
): Promise<Set<RecordEvent>> {
  const ids = [...new Set(events.map((e) => e.id.toLowerCase()))];
  const written = new Map<string, number[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.db
      .selectFrom('flow_writes')
      .select(['record_id', 'written_at'])
      .where('flow_id', '=', flowId)
      .where('table_name', '=', table)
      .where('record_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) written.set(row.record_id, [...(written.get(row.record_id) ?? []), Number(row.written_at)]);
  }
  const own = new Set<RecordEvent>();
  if (written.size === 0) return own;
  const since = previousPollAt ? Date.parse(previousPollAt) - OWN_WRITE_WINDOW_MS : -Infinity;
  for (const e of events) {
    const times = written.get(e.id.toLowerCase());
    if (!times) continue;
    if (e.type === 'deleted') {
      if (times.some((at) => at >= since)) own.add(e);
      continue;
    }
    const stamp = e.record?.modifiedon;
    if (typeof stamp === 'string' && (await isOwnWrite(db, flowId, table, e.id, stamp))) own.add(e);
  }
  return own;
}
