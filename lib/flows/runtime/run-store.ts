import { sql } from 'kysely';
import type { Db } from '@/lib/db/database';
import { newId } from '@/lib/db/ids';
import { toJson } from '@/lib/db/json';
import { withTransaction } from '@/lib/db/transaction';
import { migrateDocument } from '../model/migrate';
import type { FlowDocument } from '../model/schema';
import type { RunState } from '../engine/run-state';
import { recordFlowWrite, type FlowWrite } from '../triggers/flow-writes';
import type { RunMode } from './enqueue';

/**
 * The runtime's durable side: claiming a run (bumping its fence and taking a lease), saving its
 * progress after every step on that fence, and finishing it. A worker that lost its lease (it
 * stalled past the lease, or pg-boss handed the job to another worker) finds the fence moved and
 * writes nothing more — so two handlers of one run never both record a step.
 */
export interface ClaimedRun {
  id: string;
  ownerId: string;
  flowId: string;
  flowVersion: number;
  mode: RunMode;
  trigger: unknown;
  state: RunState | null;
  fence: number;
  chainDepth: number;
}

interface RunRow {
  id: string;
  owner_id: string;
  flow_id: string;
  flow_version: number | string;
  mode: string;
  trigger_json: string | null;
  state_json: string | null;
  fence: number | string;
  chain_depth: number | string;
}

const toClaimed = (r: RunRow): ClaimedRun => ({
  id: r.id,
  ownerId: r.owner_id,
  flowId: r.flow_id,
  flowVersion: Number(r.flow_version),
  mode: r.mode === 'test' ? 'test' : 'live',
  trigger: r.trigger_json === null ? null : (JSON.parse(r.trigger_json) as unknown),
  state: r.state_json === null ? null : (JSON.parse(r.state_json) as RunState),
  fence: Number(r.fence),
  chainDepth: Number(r.chain_depth),
});

/**
 * Claims the next run that is due: queued and available, or running with an expired lease (its
 * worker died). One statement, so two workers never claim the same run: SQLite serialises writers,
 * PostgreSQL skips rows another claimer has locked. `runId` claims that run only (pg-boss jobs).
 */
export async function claimRun(db: Db, worker: string, leaseMs: number, now: number, runId?: string): Promise<ClaimedRun | undefined> {
  const nowIso = new Date(now).toISOString();
  const until = now + leaseMs;
  const due = sql`((status = 'queued' AND available_at <= ${now}) OR (status = 'running' AND lease_until < ${now}))`;
  const pick =
    db.kind === 'postgres'
      ? sql`SELECT id FROM runs WHERE ${due} ${runId ? sql`AND id = ${runId}` : sql``} ORDER BY available_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED`
      : sql`SELECT id FROM runs WHERE ${due} ${runId ? sql`AND id = ${runId}` : sql``} ORDER BY available_at, created_at LIMIT 1`;
  const result = await sql<RunRow>`
    UPDATE runs SET status = 'running', fence = fence + 1, lease_owner = ${worker}, lease_until = ${until},
      started_at = COALESCE(started_at, ${nowIso}), updated_at = ${nowIso}
    WHERE id = (${pick})
    RETURNING id, owner_id, flow_id, flow_version, mode, trigger_json, state_json, fence, chain_depth`.execute(db.db);
  const row = result.rows[0];
  return row && toClaimed(row);
}

/** Extends the lease of a run this worker holds; false when the fence moved (someone else has it). */
export async function renewRunLease(db: Db, run: ClaimedRun, leaseMs: number, now: number): Promise<boolean> {
  const r = await db.db
    .updateTable('runs')
    .set({ lease_until: now + leaseMs })
    .where('id', '=', run.id)
    .where('fence', '=', run.fence)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface StepRecord {
  stepKey: string;
  nodeId: string;
  nodeType: string;
  attempt: number;
  status: 'running' | 'succeeded' | 'failed' | 'skipped';
  input?: unknown;
  output?: unknown;
  error?: unknown;
  startedAt: number;
  finishedAt?: number;
}

export interface Progress {
  state: RunState;
  steps: readonly StepRecord[];
  response?: unknown;
  /** Ends the run: its status, error and finish time. */
  finish?: { status: 'succeeded' | 'failed' | 'cancelled'; error?: unknown; at: number };
  /** Gives the run back to the queue until then (a retry that waits long). */
  releaseUntil?: number;
  /** Records this step wrote in Dynamics (ignoreOwnWrites), saved in the same transaction. */
  flowWrites?: readonly FlowWrite[];
}

/**
 * Saves the run's state and its step records in one transaction, on the fence it was claimed with.
 * False when the fence moved: the caller lost the run and must stop.
 */
export async function saveProgress(db: Db, run: ClaimedRun, progress: Progress): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const nowIso = new Date().toISOString();
    const update = await tx.db
      .updateTable('runs')
      .set({
        state_json: JSON.stringify(progress.state),
        step_count: progress.state.stepCount,
        updated_at: nowIso,
        ...(progress.response !== undefined ? { response_json: toJson(progress.response) } : {}),
        ...(progress.finish
          ? {
              status: progress.finish.status,
              error_json: toJson(progress.finish.error),
              finished_at: new Date(progress.finish.at).toISOString(),
              lease_until: 0,
              lease_owner: null,
            }
          : {}),
        ...(progress.releaseUntil !== undefined && !progress.finish
          ? { status: 'queued', available_at: progress.releaseUntil, lease_until: 0, lease_owner: null }
          : {}),
      })
      .where('id', '=', run.id)
      .where('fence', '=', run.fence)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(update.numUpdatedRows) === 0) return false;
    for (const w of progress.flowWrites ?? []) await recordFlowWrite(tx, w);
    for (const s of progress.steps) {
      const values = {
        status: s.status,
        input_json: toJson(s.input),
        output_json: toJson(s.output),
        error_json: toJson(s.error),
        finished_at: s.finishedAt === undefined ? null : new Date(s.finishedAt).toISOString(),
        duration_ms: s.finishedAt === undefined ? null : s.finishedAt - s.startedAt,
      };
      await tx.db
        .insertInto('run_steps')
        .values({
          id: newId(),
          run_id: run.id,
          owner_id: run.ownerId,
          step_id: s.stepKey,
          node_id: s.nodeId,
          node_type: s.nodeType,
          attempt: s.attempt,
          started_at: new Date(s.startedAt).toISOString(),
          ...values,
        })
        .onConflict((oc) => oc.columns(['run_id', 'step_id', 'attempt']).doUpdateSet(values))
        .execute();
    }
    return true;
  });
}

const documents = new Map<string, FlowDocument>();

/** A flow version's document; versions never change once saved, so they are cached by (flow, version). */
export async function loadVersionDocument(
  db: Db,
  run: Pick<ClaimedRun, 'flowId' | 'flowVersion' | 'ownerId'>,
): Promise<FlowDocument | undefined> {
  const key = `${run.flowId}:${run.flowVersion}`;
  const hit = documents.get(key);
  if (hit) return hit;
  const row = await db.db
    .selectFrom('flow_versions')
    .select('document_json')
    .where('flow_id', '=', run.flowId)
    .where('owner_id', '=', run.ownerId)
    .where('version', '=', run.flowVersion)
    .executeTakeFirst();
  if (!row) return undefined;
  const migrated = migrateDocument(JSON.parse(row.document_json));
  if (!migrated.ok) return undefined;
  if (documents.size > 500) documents.clear();
  documents.set(key, migrated.document);
  return migrated.document;
}

/** One of the owner's runs' engine state (what "Test this step" starts from); undefined when the run is not theirs. */
export async function readRunState(
  db: Db,
  ownerId: string,
  runId: string,
): Promise<{ flowId: string; status: string; trigger: unknown; state: RunState | null } | undefined> {
  const row = await db.db
    .selectFrom('runs')
    .select(['flow_id', 'status', 'trigger_json', 'state_json'])
    .where('id', '=', runId)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    flowId: row.flow_id,
    status: row.status,
    trigger: row.trigger_json === null ? null : (JSON.parse(row.trigger_json) as unknown),
    state: row.state_json === null ? null : (JSON.parse(row.state_json) as RunState),
  };
}
