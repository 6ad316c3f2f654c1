/**
 * New / Updated / New or updated by a `(stamp, id)` cursor (timestamp-cursor.ts): `stamp ge
 * watermark - overlap` plus the trigger's conditions in `$filter`, ordered by stamp then id. Used for
 * tables without change tracking, and to catch up before change tracking takes over (poll-tracked.ts).
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 */
import type { ConditionGroup, DataverseClient, DataverseRecord, QueryOptions } from '../../client/types';
import type { PollConfig, PollResult, RecordEvent } from './poll-types';
import { lowerBound, TimestampPoll, type TimestampCursor, type TimestampPollOptions } from './timestamp-cursor';

export const DEFAULT_OVERLAP_SECONDS = 120;
export const DEFAULT_MAX_EVENTS = 500;
const EPOCH = '1970-01-01T00:00:00Z';

export const stampFieldOf = (config: PollConfig): TimestampPollOptions['stampField'] =>
  config.event === 'new' ? 'createdon' : 'modifiedon';

export function select(config: PollConfig): string[] | undefined {
  if (!config.columns?.length) return undefined;
  return [...new Set([config.table.primaryIdAttribute, 'createdon', 'modifiedon', 'versionnumber', ...config.columns])];
}

/** The query for one poll: `stamp ge bound` (plus the user's conditions), ordered by stamp then id. */
export function timestampQuery(config: PollConfig, cursor: TimestampCursor, overlapSeconds: number): QueryOptions {
  const stampField = stampFieldOf(config);
  const since: ConditionGroup = {
    match: 'all',
    conditions: [{ field: stampField, operator: 'ge', type: 'datetime', value: lowerBound(cursor, overlapSeconds) }],
  };
  if (config.filter) since.conditions.push(config.filter);
  const query: QueryOptions = {
    filter: since,
    orderBy: [{ field: stampField }, { field: config.table.primaryIdAttribute }],
    pageSize: config.pageSize ?? 500,
  };
  const columns = select(config);
  if (columns) query.select = columns;
  return query;
}

/**
 * A row is "new" when it was not modified after its creation and no earlier version of it was
 * seen (second precision: a create and an update in the same second look unmodified).
 */
export const isNew = (row: DataverseRecord, known: boolean) =>
  !known && typeof row.createdon === 'string' && row.createdon === row.modifiedon;

/** One poll by `(stamp, id)`: at most `maxEvents` changes past the cursor. */
export async function pollStamps(
  client: DataverseClient,
  config: PollConfig,
  cursor: TimestampCursor | null,
  signal?: AbortSignal,
): Promise<PollResult & { nextCursor: TimestampCursor }> {
  const overlapSeconds = config.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
  const opts: TimestampPollOptions = { stampField: stampFieldOf(config), primaryId: config.table.primaryIdAttribute, overlapSeconds };
  const start = cursor ?? { kind: 'timestamp' as const, watermark: await latestStamp(client, config, opts, signal), seen: {} };
  const state = new TimestampPoll(start, opts);
  // The first poll only records what exists inside the overlap window, so it is not emitted later.
  const limit = cursor ? (config.maxEvents ?? DEFAULT_MAX_EVENTS) : 10_000;
  const events: RecordEvent[] = [];
  let processed = 0;
  let hasMore = false;
  outer: for await (const page of client.retrievePages(config.table.entitySetName, timestampQuery(config, start, overlapSeconds), signal)) {
    for (const row of page) {
      if (processed >= limit) {
        hasMore = true;
        break outer;
      }
      const verdict = state.consume(row);
      if (!verdict.emit) continue;
      processed++;
      if (!cursor) continue;
      const id = String(row[config.table.primaryIdAttribute]);
      const type = isNew(row, verdict.known) ? 'new' : 'updated';
      if (config.event === 'updated' && type === 'new') continue;
      events.push({ type: config.event === 'new' ? 'new' : type, id, record: row });
    }
  }
  return { events, nextCursor: state.next(), hasMore };
}

/** The newest stamp in the table (server time, not ours: no clock skew), or the epoch when empty. */
async function latestStamp(client: DataverseClient, config: PollConfig, opts: TimestampPollOptions, signal?: AbortSignal): Promise<string> {
  const query: QueryOptions = {
    select: [opts.primaryId, opts.stampField],
    orderBy: [{ field: opts.stampField, descending: true }],
    top: 1,
    pageSize: 1,
  };
  if (config.filter) query.filter = config.filter;
  for await (const page of client.retrievePages(config.table.entitySetName, query, signal)) {
    const stamp = page[0]?.[opts.stampField];
    return typeof stamp === 'string' ? stamp : EPOCH;
  }
  return EPOCH;
}
