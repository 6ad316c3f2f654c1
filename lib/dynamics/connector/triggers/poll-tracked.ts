/**
 * New / Updated / New or updated through change tracking (tracked-cursor.ts has the cursor and why
 * it classifies rows as it does). One poll is, in order:
 *  1. a baseline when there is no delta token yet: `GET <set>?$select=<id,stamps>` with
 *     `Prefer: odata.track-changes`, every page read (nothing emitted), its deltaLink kept;
 *  2. a catch-up by `(stamp, id)` when the cursor came from stamps (a flow's first poll starts at
 *     its `started_at`, a cursor stored before change tracking was used, or an expired token), so
 *     what changed between that stamp and the baseline still counts; a row changed after the
 *     baseline may be read by both, at the same version: the runtime's dedupe key (record id and
 *     version) keeps it to one run;
 *  3. a round: `GET <set>?$select=…&$deltatoken=<token>`; the trigger's conditions are judged on the
 *     returned rows (`config.matches`: Dataverse refuses `$filter` with change tracking), deleted
 *     entries are ignored, and the last page's deltaLink is the next token.
 * Every batch of at most `maxEvents` changes is yielded with the cursor covering it. A token
 * Dataverse refuses as expired falls back to step 1 and 2 from the cursor's stamps (logged through
 * `notices`): the changes meanwhile are caught by `modifiedon` (or `createdon` for New), not lost.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import type { DataverseClient, DataverseRecord } from '../../client/types';
import { isExpiredDeltaToken } from './expired-token';
import { DEFAULT_MAX_EVENTS, DEFAULT_OVERLAP_SECONDS, isNew, pollStamps, select, stampFieldOf } from './poll-stamps';
import type { PollConfig, PollCursor, PollResult, RecordEvent } from './poll-types';
import { TimestampPoll, type TimestampCursor, type TimestampPollOptions } from './timestamp-cursor';
import { EPOCH, Horizon, versionOf, type TrackedCursor } from './tracked-cursor';

/** Rows per page of a baseline: it reads the whole table once, so the largest page Dataverse allows. */
const BASELINE_PAGE_SIZE = 5_000;

/** Change tracking is used when the table has it and the caller can judge its conditions on rows. */
export const usesChangeTracking = (config: PollConfig): boolean =>
  config.event !== 'deleted' && config.changeTracking === true && (!config.filter || config.matches !== undefined);

const stampOptions = (config: PollConfig): TimestampPollOptions => ({
  stampField: stampFieldOf(config),
  primaryId: config.table.primaryIdAttribute,
  overlapSeconds: config.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS,
});

export async function* pollTracked(
  client: DataverseClient,
  config: PollConfig,
  cursor: PollCursor | null,
  signal?: AbortSignal,
): AsyncGenerator<PollResult> {
  if (cursor?.kind === 'delta') throw new Error(`A ${config.event} event needs a timestamp or tracked cursor, got ${cursor.kind}.`);
  let notices: string[] = [];
  let rebaselined = false;
  let current: TrackedCursor;
  if (cursor === null) {
    // Start tracking from now: the baseline's rows are what exists, nothing is emitted.
    yield { events: [], nextCursor: await baseline(client, config, null, signal), hasMore: false };
    return;
  }
  current = cursor.kind === 'timestamp' ? await baseline(client, config, cursor, signal) : cursor;
  for (;;) {
    try {
      if (current.catchUp) {
        const batch = await pollStamps(client, config, current.stamps, signal);
        const next: TrackedCursor = { ...current, stamps: batch.nextCursor };
        if (!batch.hasMore) delete next.catchUp;
        current = next;
        // More to do either way: the catch-up's rest, or the first round.
        yield withNotices({ events: batch.events, nextCursor: next, hasMore: true }, notices);
        notices = [];
        continue;
      }
      for await (const batch of round(client, config, current, signal)) {
        current = batch.nextCursor as TrackedCursor;
        yield withNotices(batch, notices);
        notices = [];
      }
      return;
    } catch (err) {
      // A token from this very poll's baseline refused too: not an old token, so no loop of baselines.
      if (!isExpiredDeltaToken(err) || rebaselined) throw err;
      rebaselined = true;
      notices.push(
        `the change-tracking token of ${config.table.logicalName} expired; tracking again, and the changes since ` +
          `${current.stamps.watermark} are caught up by ${stampFieldOf(config)}`,
      );
      current = await baseline(client, config, current.stamps, signal);
    }
  }
}

const withNotices = (batch: PollResult, notices: string[]): PollResult => (notices.length ? { ...batch, notices } : batch);

/**
 * Starts tracking: reads every row's id and stamps with `Prefer: odata.track-changes` and keeps the
 * deltaLink. With `from` (stamps to hand over) the catch-up continues them; without, the baseline's
 * rows become the stamps' seen-set, so a later fall-back does not mistake them for changes.
 */
async function baseline(
  client: DataverseClient,
  config: PollConfig,
  from: TimestampCursor | null,
  signal?: AbortSignal,
): Promise<TrackedCursor> {
  const pk = config.table.primaryIdAttribute;
  const opts = stampOptions(config);
  const horizon = new Horizon(EPOCH, []);
  let stamps: TimestampCursor = from ?? { kind: 'timestamp', watermark: EPOCH, seen: {} };
  let token = '';
  const pages = client.changes(config.table.entitySetName, {
    select: [pk, 'createdon', 'modifiedon', 'versionnumber'],
    pageSize: BASELINE_PAGE_SIZE,
    signal,
  });
  for await (const page of pages) {
    const seen = from ? null : new TimestampPoll(stamps, opts);
    for (const row of page.changed) {
      const id = idOf(row, pk);
      if (id === null) continue;
      horizon.add(id, row);
      seen?.consume(row);
    }
    // Pruned to the overlap window page by page: never the whole table in memory.
    if (seen) stamps = seen.next();
    if (page.final) token = page.deltaToken;
  }
  if (!token) throw new Error(`Dataverse returned no delta token for ${config.table.logicalName}; is change tracking enabled?`);
  const { horizon: h, atHorizon } = horizon.value;
  return { kind: 'tracked', deltaToken: token, horizon: h, atHorizon, stamps, ...(from ? { catchUp: true as const } : {}) };
}

const idOf = (row: DataverseRecord, pk: string): string | null => {
  const id = row[pk];
  return typeof id === 'string' ? id.toLowerCase() : null;
};

/** The columns a round asks for: the trigger's (or all), plus the stamps, the version and what the conditions read. */
function roundSelect(config: PollConfig): string[] | undefined {
  const columns = select(config);
  if (!columns) return undefined;
  const fields = new Set(columns);
  const walk = (group: NonNullable<PollConfig['filter']>) => {
    for (const c of group.conditions) {
      if ('conditions' in c) walk(c);
      else fields.add(c.field);
    }
  };
  if (config.filter) walk(config.filter);
  return [...fields];
}

/** One round after `cursor.deltaToken`, in batches of at most `maxEvents` rows. */
async function* round(
  client: DataverseClient,
  config: PollConfig,
  cursor: TrackedCursor,
  signal?: AbortSignal,
): AsyncGenerator<PollResult> {
  const pk = config.table.primaryIdAttribute;
  const limit = config.maxEvents ?? DEFAULT_MAX_EVENTS;
  // Classification uses the horizon from before the round, whatever the round has folded in so far.
  const before = new Horizon(cursor.horizon, cursor.atHorizon);
  const after = new Horizon(cursor.round?.horizon ?? cursor.horizon, cursor.round?.atHorizon ?? cursor.atHorizon);
  const done = cursor.round?.afterVersion ?? -Infinity;
  let stamps = new TimestampPoll(cursor.stamps, stampOptions(config));
  let events: RecordEvent[] = [];
  let processed = 0;
  let lastVersion = -Infinity;
  // Rounds come in version order (Dataverse: "new or updated first, by version"); if not, a round
  // cannot be cut by version, so it is read to its end before anything is yielded.
  let ordered = true;
  const pages = client.changes(config.table.entitySetName, {
    ...(roundSelect(config) ? { select: roundSelect(config)! } : {}),
    deltaToken: cursor.deltaToken,
    ...(config.pageSize ? { pageSize: config.pageSize } : {}),
    signal,
  });
  const mid = (): TrackedCursor => ({
    ...cursor,
    stamps: stamps.next(),
    round: { afterVersion: lastVersion, ...after.value },
  });
  for await (const page of pages) {
    for (const row of page.changed) {
      const id = idOf(row, pk);
      const version = versionOf(row);
      if (id === null || version === undefined) continue;
      if (version <= done) continue; // processed before this round was cut
      if (version < lastVersion) ordered = false;
      lastVersion = Math.max(lastVersion, version);
      processed++;
      const created = before.createdAfter(id, row);
      after.add(id, row);
      stamps.consume(row);
      const event = classify(config, created, row);
      if (event && (!config.matches || config.matches(row))) events.push({ type: event, id: String(row[pk]), record: row });
      if (ordered && processed >= limit) {
        yield { events, nextCursor: mid(), hasMore: true };
        stamps = new TimestampPoll(stamps.next(), stampOptions(config));
        events = [];
        processed = 0;
      }
    }
    if (page.final) {
      if (!page.deltaToken) throw new Error(`Dataverse returned no delta token for ${config.table.logicalName}.`);
      const next: TrackedCursor = { kind: 'tracked', deltaToken: page.deltaToken, ...after.value, stamps: stamps.next() };
      yield { events, nextCursor: next, hasMore: false };
      return;
    }
  }
  throw new Error(`The change-tracking answer for ${config.table.logicalName} ended without a delta link.`);
}

/** New (created after the round's token) or Updated, as the event wants it; null to skip. */
function classify(config: PollConfig, createdAfterToken: boolean, row: DataverseRecord): RecordEvent['type'] | null {
  if (config.event === 'new') return createdAfterToken ? 'new' : null;
  // Created after the token and not changed since its creation (in stamps): a new row.
  const type = createdAfterToken && isNew(row, false) ? 'new' : 'updated';
  if (config.event === 'updated' && type === 'new') return null;
  return type;
}
