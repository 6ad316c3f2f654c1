/**
 * `poll(client, config, cursor) → { events, nextCursor }`: one poll of a record event. The runtime
 * (coming in lib/flows/runtime) schedules it at the user's interval and must store `nextCursor` in
 * the same transaction as the runs it enqueues for `events`. The first poll (cursor null) only sets the
 * starting point: it emits nothing, so switching a flow on does not replay history.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows and
 * https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import type { ConditionGroup, DataverseClient, DataverseRecord, QueryOptions } from '../../client/types';
import type { PollConfig, PollCursor, PollResult, RecordEvent } from './poll-types';
import { lowerBound, TimestampPoll, type TimestampCursor, type TimestampPollOptions } from './timestamp-cursor';

export const DEFAULT_OVERLAP_SECONDS = 120;
export const DEFAULT_MAX_EVENTS = 500;
const EPOCH = '1970-01-01T00:00:00Z';

const stampFieldOf = (config: PollConfig): TimestampPollOptions['stampField'] => (config.event === 'new' ? 'createdon' : 'modifiedon');

function select(config: PollConfig): string[] | undefined {
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
const isNew = (row: DataverseRecord, known: boolean) => !known && typeof row.createdon === 'string' && row.createdon === row.modifiedon;

/** @example const { events, nextCursor } = await poll(client, { table: { logicalName: 'lead', entitySetName: 'leads', primaryIdAttribute: 'leadid' }, event: 'new' }, saved) */
export async function poll(
  client: DataverseClient,
  config: PollConfig,
  cursor: PollCursor | null,
  signal?: AbortSignal,
): Promise<PollResult> {
  if (config.event === 'deleted') return pollDeleted(client, config, cursor, signal);
  if (cursor && cursor.kind !== 'timestamp') throw new Error(`A ${config.event} event needs a timestamp cursor, got ${cursor.kind}.`);
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

/** Deleted rows through change tracking: the first call starts tracking and emits nothing. */
async function pollDeleted(
  client: DataverseClient,
  config: PollConfig,
  cursor: PollCursor | null,
  signal?: AbortSignal,
): Promise<PollResult> {
  if (cursor && cursor.kind !== 'delta') throw new Error('A deleted event needs a change-tracking cursor.');
  const events: RecordEvent[] = [];
  let token: string | undefined = cursor?.deltaToken;
  const pages = client.changes(config.table.entitySetName, {
    select: [config.table.primaryIdAttribute],
    deltaToken: cursor?.deltaToken,
    pageSize: config.pageSize,
    signal,
  });
  for await (const page of pages) {
    if (cursor) for (const id of page.deleted) events.push({ type: 'deleted', id });
    token = page.deltaToken;
  }
  if (!token) throw new Error(`Dataverse returned no delta token for ${config.table.logicalName}; is change tracking enabled?`);
  return { events, nextCursor: { kind: 'delta', deltaToken: token }, hasMore: false };
}
