import type { Db } from '@/lib/db/database';
import { isUniqueViolation } from '@/lib/db/errors';
import { newId } from '@/lib/db/ids';
import { toJson } from '@/lib/db/json';
import { nowIso } from '@/lib/db/time';
import { withTransaction } from '@/lib/db/transaction';
import { runQueue, type RunQueue } from './run-queue';
import type { RunState } from '../engine/run-state';

export type RunMode = 'live' | 'test';

export interface RunRequest {
  ownerId: string;
  flowId: string;
  flowVersion: number;
  /** The trigger node's output: what `$steps.<trigger id>.output` reads. */
  trigger: unknown;
  /** The trigger node's type (`api.request`, `dynamics.lead.new`, `scheduler.schedule`, `manual.trigger`). */
  triggerKind: string;
  mode?: RunMode;
  /** One run per event: a second request with the same key for the same flow creates nothing. */
  dedupeKey?: string;
  /** How many runs of this flow led to this one (R11: a flow that re-triggers itself). */
  chainDepth?: number;
  rerunOf?: string;
  /** Caller-chosen id (derive idempotency keys before the insert); generated otherwise. */
  id?: string;
  /**
   * The engine state the run starts from, instead of a fresh one: the executor then resumes it
   * ("Test this step" seeds it with an earlier run's outputs, engine/single-step-state.ts).
   */
  state?: RunState;
}

export interface Enqueued {
  runId: string;
  /** False when the dedupe key had already started a run (runId is then that run's id). */
  created: boolean;
}

/**
 * Records runs and announces them to the queue, in the caller's transaction when `db` is one (a
 * poller passes the transaction that also moves its cursor), else in a new one. Returns one entry
 * per request, in order. Local workers are woken only after the outermost transaction commits,
 * so call `wakeWorkers()` after your own transaction when you passed one.
 * @example await withTransaction(db, async (tx) => { await enqueueRuns(tx, events.map(toRequest)); await putTriggerState(tx, ...) }); wakeWorkers();
 */
export async function enqueueRuns(db: Db, requests: readonly RunRequest[], queue: RunQueue = runQueue()): Promise<Enqueued[]> {
  const ownTransaction = !db.db.isTransaction;
  const result = await withTransaction(db, async (tx) => {
    const out: Enqueued[] = [];
    const fresh: string[] = [];
    for (const r of requests) {
      const id = r.id ?? newId();
      if (r.dedupeKey !== undefined) {
        const existing = await tx.db
          .selectFrom('runs')
          .select('id')
          .where('flow_id', '=', r.flowId)
          .where('dedupe_key', '=', r.dedupeKey)
          .executeTakeFirst();
        if (existing) {
          out.push({ runId: existing.id, created: false });
          continue;
        }
      }
      const now = nowIso();
      try {
        await tx.db
          .insertInto('runs')
          .values({
            id,
            owner_id: r.ownerId,
            flow_id: r.flowId,
            flow_version: r.flowVersion,
            status: 'queued',
            trigger_json: toJson(r.trigger ?? null) ?? 'null',
            error_json: null,
            started_at: null,
            finished_at: null,
            created_at: now,
            updated_at: now,
            mode: r.mode ?? 'live',
            trigger_kind: r.triggerKind,
            dedupe_key: r.dedupeKey ?? null,
            chain_depth: r.chainDepth ?? 0,
            rerun_of: r.rerunOf ?? null,
            available_at: 0,
            ...(r.state ? { state_json: JSON.stringify(r.state) } : {}),
          })
          .execute();
      } catch (err) {
        // A concurrent request with the same dedupe key won the race (PostgreSQL); ours is that run.
        if (r.dedupeKey !== undefined && isUniqueViolation(err)) {
          throw new DuplicateRunRace(r.dedupeKey, { cause: err });
        }
        throw err;
      }
      out.push({ runId: id, created: true });
      fresh.push(id);
    }
    if (fresh.length > 0) await queue.announce(tx, fresh);
    return out;
  });
  if (ownTransaction) queue.wake();
  return result;
}

/** After your own transaction that called `enqueueRuns` committed: wake this process's workers. */
export function wakeWorkers(queue: RunQueue = runQueue()): void {
  queue.wake();
}

/**
 * Two callers enqueued the same dedupe key at once and this one lost. The transaction is aborted
 * (PostgreSQL aborts it on the violation); retry it and the retry sees the winner's run.
 */
export class DuplicateRunRace extends Error {
  override readonly name = 'DuplicateRunRace';
  constructor(
    readonly dedupeKey: string,
    options?: { cause?: unknown },
  ) {
    super(`Another request started the run for ${dedupeKey} at the same moment; retry to read it.`, options);
  }
}
