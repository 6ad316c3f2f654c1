/**
 * The Dynamics event trigger (`dynamics.<table>.<new|updated|new_or_updated|deleted>`): each
 * started flow's table is polled through the flow's account at the trigger's interval, with the
 * connector's `pollChanges`: change tracking where the table has it (`ChangeTrackingEnabled`:
 * delta tokens; the trigger's conditions judged on the returned rows, since Dataverse refuses
 * `$filter` on a delta query), otherwise a `(stamp, id)` cursor with an overlap window and a
 * seen-set whose conditions go into `$filter`; Deleted always through change tracking. Each change
 * starts exactly ONE run: its dedupe key names the change (record id and version), and the cursor
 * moves in the same transaction that records the runs, so a poller killed at any point re-reads
 * from the last committed cursor and the replayed changes start nothing twice.
 * Only changes from the flow's start (`flows.started_at`) count: a fresh cursor starts at that
 * second, and on a tracked table the first poll takes the baseline delta link and catches up from
 * the start by stamps (existing rows start nothing). A cursor stored before change tracking was
 * used is handed over the same way, and an expired delta token falls back to the cursor's stamps
 * (logged), so neither loses nor repeats a change. With `ignoreOwnWrites` a change the flow wrote
 * itself starts nothing. One failing account (bad credentials, throttled, unreachable) is logged by
 * name and message and retried at its next interval; the other flows poll as usual.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows and
 * https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import type { Db } from '@/lib/db/database';
import { getTriggerState, putTriggerState } from '@/lib/db/repositories/trigger-state';
import { withTransaction } from '@/lib/db/transaction';
import { getClientForAccount } from '@/lib/dynamics/accounts/account-client';
import { DataverseError } from '@/lib/dynamics/client/errors/dataverse-error';
import type { DataverseClient } from '@/lib/dynamics/client/types';
import type { EventKind } from '@/lib/dynamics/connector/define';
import { parseId } from '@/lib/dynamics/connector/ids';
import { isExpiredDeltaToken } from '@/lib/dynamics/connector/triggers/expired-token';
import { pollChanges } from '@/lib/dynamics/connector/triggers/poll';
import type { PollConfig, PollCursor, RecordEvent } from '@/lib/dynamics/connector/triggers/poll-types';
import { toPollConfig } from '@/lib/dynamics/connector/triggers/trigger-config';
import { metadataCache, type MetadataCache } from '@/lib/dynamics/metadata/metadata-cache';
import { DuplicateRunRace, enqueueRuns, wakeWorkers, type RunRequest } from '@/lib/flows/runtime/enqueue';
import { activeTriggers, type ActiveTrigger } from './active-triggers';
import { changeKey } from './change-key';
import { ownChanges } from './own-changes';
import { currentPollState, isDue, startingCursor, startSecond, type DynamicsPollState } from './poll-state';
import { rowMatcher, toConnectorConditions, TriggerConfigError, type TriggerConditions } from './trigger-conditions';

export interface PollDueFlowsOptions {
  now: Date;
  signal?: AbortSignal;
  /** Rows per page of the Dataverse query (default: the connector's, 500). */
  pageSize?: number;
  /** Changes per poll, i.e. per transaction (default: the connector's, 500). */
  maxEvents?: number;
  /**
   * How long one call may keep draining backlogs (default 5 s): past it, a trigger with more
   * changes waits for the next tick (it stays due), so one busy trigger does not hold up the
   * others and schedules for long. (The loop renews its lease meanwhile, trigger-loop.ts, so a
   * slower tick — one long Dataverse call, a baseline of a big table — keeps single ownership.)
   */
  budgetMs?: number;
  /** Where failures go: the trigger and the error's name and message, never a request or a secret. */
  log?: (message: string) => void;
  cache?: MetadataCache;
}

export interface PollDueFlowsResult {
  /** Triggers that were due and polled (successfully or not). */
  polled: number;
  runsCreated: number;
  /**
   * Changes whose run existed already: a replay that the cursor should have prevented (it is
   * committed with the runs), which the dedupe key kept to one run. Always 0 when all is well.
   */
  replayed: number;
  failed: number;
}

interface EventInputs {
  intervalSeconds: number;
  columns?: string[];
  conditions?: TriggerConditions;
  ignoreOwnWrites: boolean;
}

const DEFAULT_BUDGET_MS = 5_000;
/** Retries of a batch whose dedupe key another poller inserted at the same moment (PostgreSQL). */
const RACE_RETRIES = 3;

const isEventType = (type: string) => parseId(type)?.event !== undefined;
const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error');

/** @example await pollDueFlows(db, { now: new Date(), signal }) // the trigger loop's task */
export async function pollDueFlows(db: Db, options: PollDueFlowsOptions): Promise<PollDueFlowsResult> {
  const { now, signal } = options;
  const log = options.log ?? ((m: string) => console.error(m));
  const deadline = performance.now() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
  // One client per account and tick: several flows on one account share it (and its throttle).
  const clients = new Map<string, Promise<DataverseClient>>();
  const clientFor = (ownerId: string, accountId: string) => {
    const key = `${ownerId}\u0000${accountId}`;
    let client = clients.get(key);
    if (!client) clients.set(key, (client = getClientForAccount(db, ownerId, accountId)));
    return client;
  };
  const result: PollDueFlowsResult = { polled: 0, runsCreated: 0, replayed: 0, failed: 0 };
  for (const t of await activeTriggers(db, isEventType)) {
    if (signal?.aborted) break;
    const stored = await getTriggerState(db, t.ownerId, t.flowId, t.nodeId);
    const state = currentPollState(stored?.cursor, t.type, t.startedAt);
    if (!isDue(state, now)) continue;
    result.polled++;
    const progress: { state: DynamicsPollState | undefined } = { state };
    try {
      const counts = await pollTrigger(db, t, progress, { ...options, log, clientFor, deadline });
      result.runsCreated += counts.created;
      result.replayed += counts.replayed;
    } catch (err) {
      // Stopped from outside: nothing was committed for the poll in progress, the next tick redoes it.
      if (signal?.aborted) break;
      result.failed++;
      log(`dynamics trigger ${t.flowId}/${t.nodeId} failed: ${describe(err)}`);
      await recordFailure(db, t, progress.state, err, now).catch((e: unknown) =>
        log(`dynamics trigger ${t.flowId}/${t.nodeId}: could not record the failure: ${describe(e)}`),
      );
    }
  }
  return result;
}

interface PollTriggerContext extends PollDueFlowsOptions {
  log(message: string): void;
  clientFor(ownerId: string, accountId: string): Promise<DataverseClient>;
  deadline: number;
}

/** Polls one due trigger until its backlog is drained (or the budget is spent); returns the runs created and replayed. */
async function pollTrigger(
  db: Db,
  t: ActiveTrigger,
  progress: { state: DynamicsPollState | undefined },
  ctx: PollTriggerContext,
): Promise<{ created: number; replayed: number }> {
  const { now, signal } = ctx;
  const event = parseId(t.type)?.event as EventKind;
  const inputs = t.inputs as unknown as EventInputs;
  if (!t.accountId) throw new TriggerConfigError('The trigger names no account to poll with.');
  const client = await ctx.clientFor(t.ownerId, t.accountId);
  const table = await (ctx.cache ?? metadataCache).table(client, parseId(t.type)!.table, { signal });
  const config = pollConfigFor(table, event, inputs, t.startedAt, now, ctx);
  let cursor: PollCursor | null = progress.state?.cursor ?? (event === 'deleted' ? null : startingCursor(t.startedAt, now));
  const previousPollAt = progress.state?.polledAt;
  const counts = { created: 0, replayed: 0 };
  for (;;) {
    let polledAt = new Date().toISOString();
    try {
      // Each batch is committed before the next is read: a kill or the budget stops between batches.
      for await (const result of pollChanges(client, config, cursor, signal)) {
        for (const notice of result.notices ?? []) ctx.log(`dynamics trigger ${t.flowId}/${t.nodeId}: ${notice}`);
        let events = result.events;
        if (inputs.ignoreOwnWrites && events.length > 0) {
          const own = await ownChanges(db, t.flowId, table.logicalName, events, previousPollAt ?? t.startedAt);
          events = events.filter((e) => !own.has(e));
        }
        const next: DynamicsPollState = {
          v: 1,
          type: t.type,
          startedAt: t.startedAt,
          cursor: result.nextCursor,
          // More waiting: stay due, so the next tick goes on if this one runs out of budget.
          nextPollAt: result.hasMore ? now.toISOString() : new Date(now.getTime() + inputs.intervalSeconds * 1000).toISOString(),
          polledAt,
        };
        const requests = events.map((e) => runRequest(t, table.logicalName, e, cursor));
        const n = await commit(db, t, requests, next);
        progress.state = next;
        counts.created += n;
        counts.replayed += requests.length - n;
        if (n > 0) wakeWorkers();
        cursor = result.nextCursor;
        polledAt = new Date().toISOString();
        if (!result.hasMore || signal?.aborted || performance.now() > ctx.deadline) return counts;
      }
      return counts;
    } catch (err) {
      if (event !== 'deleted' || cursor === null || !isExpiredDeltaToken(err)) throw err;
      // Otherwise every later poll would fail the same way: start tracking again (emitting nothing).
      ctx.log(
        `dynamics trigger ${t.flowId}/${t.nodeId}: the change-tracking token expired; tracking again from now (deletions meanwhile are not seen)`,
      );
      cursor = null;
    }
  }
}

function pollConfigFor(
  table: Parameters<typeof toPollConfig>[0],
  event: EventKind,
  inputs: EventInputs,
  startedAt: string | null,
  now: Date,
  ctx: PollDueFlowsOptions,
): PollConfig {
  const config = toPollConfig(table, event, {
    intervalSeconds: inputs.intervalSeconds,
    ...(inputs.columns ? { columns: inputs.columns } : {}),
    ...(inputs.conditions ? { conditions: toConnectorConditions(inputs.conditions) } : {}),
  });
  if (event !== 'deleted') {
    // The overlap window reaches back before the start: changes from before it never count.
    const since = { field: event === 'new' ? 'createdon' : 'modifiedon', operator: 'ge' as const, type: 'datetime' as const };
    config.filter = {
      match: 'all',
      conditions: [{ ...since, value: startSecond(startedAt, now) }, ...(config.filter ? [config.filter] : [])],
    };
  }
  // Change tracking refuses `$filter`: its rounds judge each row with the same conditions.
  if (config.filter) config.matches = rowMatcher(config.filter);
  if (ctx.pageSize !== undefined) config.pageSize = ctx.pageSize;
  if (ctx.maxEvents !== undefined) config.maxEvents = ctx.maxEvents;
  return config;
}

function runRequest(t: ActiveTrigger, table: string, e: RecordEvent, cursor: PollCursor | null): RunRequest {
  const event = parseId(t.type)?.event as EventKind;
  return {
    ownerId: t.ownerId,
    flowId: t.flowId,
    flowVersion: t.flowVersion,
    trigger: e.record ? { event: e.type, table, id: e.id, record: e.record } : { event: e.type, table, id: e.id },
    triggerKind: t.type,
    dedupeKey: changeKey(event, e, cursor),
  };
}

/** The runs and the cursor that covers them, in one transaction; returns how many runs are new. */
async function commit(db: Db, t: ActiveTrigger, requests: RunRequest[], state: DynamicsPollState): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(db, async (tx) => {
        const enqueued = requests.length > 0 ? await enqueueRuns(tx, requests) : [];
        await putTriggerState(tx, t.ownerId, t.flowId, t.nodeId, state);
        return enqueued.filter((e) => e.created).length;
      });
    } catch (err) {
      // Another poller committed the same change at the same moment: the retry sees its run.
      if (err instanceof DuplicateRunRace && attempt < RACE_RETRIES) continue;
      throw err;
    }
  }
}

/**
 * Keeps the cursor, notes the failure and waits the interval (or longer when Dataverse asked for it)
 * before trying again, so a broken account is not hammered every tick.
 */
async function recordFailure(db: Db, t: ActiveTrigger, state: DynamicsPollState | undefined, err: unknown, now: Date): Promise<void> {
  const inputs = t.inputs as unknown as EventInputs;
  const retryAfter = err instanceof DataverseError ? (err.retryAfterMs ?? 0) : 0;
  const wait = Math.max(inputs.intervalSeconds * 1000, retryAfter);
  const failed: DynamicsPollState = {
    v: 1,
    type: t.type,
    startedAt: t.startedAt,
    cursor: state?.cursor ?? null,
    nextPollAt: new Date(now.getTime() + wait).toISOString(),
    ...(state?.polledAt ? { polledAt: state.polledAt } : {}),
    lastError: {
      name: err instanceof Error ? err.name : 'Error',
      message: err instanceof Error ? err.message : 'unknown error',
      at: now.toISOString(),
    },
  };
  await putTriggerState(db, t.ownerId, t.flowId, t.nodeId, failed);
}
