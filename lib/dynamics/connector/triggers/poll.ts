/**
 * `poll(client, config, cursor) → { events, nextCursor }`: one poll of a record event, and
 * `pollChanges`, the same as a stream of bounded batches. The runtime schedules it at the user's
 * interval and must store `nextCursor` in the same transaction as the runs it enqueues for `events`
 * (and only then ask for the next batch). The first poll (cursor null) only sets the starting
 * point: it emits nothing, so switching a flow on does not replay history.
 *
 * Which cursor: Deleted always uses change tracking (deletions are visible no other way). New /
 * Updated / New or updated use change tracking where the table has it (poll-tracked.ts: delta
 * tokens, conditions judged on the returned rows) and a `(stamp, id)` cursor otherwise
 * (timestamp-cursor.ts: `$filter` on `modifiedon`/`createdon` with an overlap window). A stamp
 * cursor given for a tracked table is handed over to change tracking without gaps or repeats, and a
 * tracked cursor given for a table without tracking continues from its stamps.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows and
 * https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import type { DataverseClient } from '../../client/types';
import { pollStamps } from './poll-stamps';
import type { PollConfig, PollCursor, PollResult, RecordEvent } from './poll-types';
import { pollTracked, usesChangeTracking } from './poll-tracked';
import type { TimestampCursor } from './timestamp-cursor';

export { DEFAULT_MAX_EVENTS, DEFAULT_OVERLAP_SECONDS, timestampQuery } from './poll-stamps';

/** @example const { events, nextCursor } = await poll(client, { table: { logicalName: 'lead', entitySetName: 'leads', primaryIdAttribute: 'leadid' }, event: 'new' }, saved) */
export async function poll(
  client: DataverseClient,
  config: PollConfig,
  cursor: PollCursor | null,
  signal?: AbortSignal,
): Promise<PollResult> {
  for await (const batch of pollChanges(client, config, cursor, signal)) return batch;
  throw new Error('The poll ended without a result.');
}

/**
 * The poll as batches of at most `maxEvents` changes: store each batch's runs and cursor (one
 * transaction) before asking for the next; stop early at any point (the stored cursor resumes).
 * @example for await (const batch of pollChanges(client, config, saved, signal)) await commit(batch.events, batch.nextCursor);
 */
export async function* pollChanges(
  client: DataverseClient,
  config: PollConfig,
  cursor: PollCursor | null,
  signal?: AbortSignal,
): AsyncGenerator<PollResult> {
  if (config.event === 'deleted') {
    yield await pollDeleted(client, config, cursor, signal);
    return;
  }
  if (usesChangeTracking(config)) {
    yield* pollTracked(client, config, cursor, signal);
    return;
  }
  if (cursor && cursor.kind === 'delta') throw new Error(`A ${config.event} event needs a timestamp cursor, got ${cursor.kind}.`);
  // A tracked cursor on a table polled by stamps (no tracking now, or conditions it cannot judge): its stamps go on.
  let from: TimestampCursor | null = cursor?.kind === 'tracked' ? cursor.stamps : cursor;
  for (;;) {
    const batch = await pollStamps(client, config, from, signal);
    yield batch;
    if (!batch.hasMore) return;
    from = batch.nextCursor as TimestampCursor;
  }
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
