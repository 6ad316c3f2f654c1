import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../database';
import { DuplicateError, isUniqueViolation } from '../errors';
import { newId } from '../ids';
import { fromJson, toJson } from '../json';
import type { RunStepsTable } from '../schema';
import { nowIso } from '../time';

export type RunStepStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

export interface RunStep {
  id: string;
  runId: string;
  ownerId: string;
  /** The step key: the node id, or `<forEachId>#<index>/<nodeId>` inside a For each body. */
  stepId: string;
  /** The node of the step in the flow document. */
  nodeId: string | null;
  nodeType: string | null;
  durationMs: number | null;
  attempt: number;
  status: RunStepStatus;
  input: unknown;
  output: unknown;
  error: unknown;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface NewRunStep {
  runId: string;
  stepId: string;
  nodeId?: string;
  nodeType?: string;
  attempt?: number;
  status?: RunStepStatus;
  /** The censored input (secrets already redacted). */
  input?: unknown;
  startedAt?: string | null;
}

export interface RunStepPatch {
  status?: RunStepStatus;
  input?: unknown;
  output?: unknown;
  error?: unknown;
  finishedAt?: string | null;
}

/**
 * Records one attempt of a step of one of the owner's runs; undefined when the run is not the
 * owner's. DuplicateError when that (step, attempt) is already recorded.
 */
export async function createRunStep(db: Db, ownerId: string, input: NewRunStep): Promise<RunStep | undefined> {
  const run = await db.db.selectFrom('runs').select('id').where('id', '=', input.runId).where('owner_id', '=', ownerId).executeTakeFirst();
  if (!run) return undefined;
  const row: Selectable<RunStepsTable> = {
    id: newId(),
    run_id: input.runId,
    owner_id: ownerId,
    step_id: input.stepId,
    attempt: input.attempt ?? 1,
    status: input.status ?? 'running',
    input_json: toJson(input.input),
    output_json: null,
    error_json: null,
    started_at: input.startedAt === undefined ? nowIso() : input.startedAt,
    finished_at: null,
    node_id: input.nodeId ?? null,
    node_type: input.nodeType ?? null,
    duration_ms: null,
  };
  try {
    await db.db.insertInto('run_steps').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new DuplicateError(`step ${input.stepId} attempt ${row.attempt} is already recorded`, 'run_steps.attempt', { cause: err });
    }
    throw err;
  }
  return toRunStep(row);
}

export async function findRunStep(db: Db, ownerId: string, id: string): Promise<RunStep | undefined> {
  const row = await db.db.selectFrom('run_steps').selectAll().where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
  return row && toRunStep(row);
}

/** The steps of one of the owner's runs in the order they started (attempts of one start in order). */
export async function listRunSteps(db: Db, ownerId: string, runId: string): Promise<RunStep[]> {
  const rows = await db.db
    .selectFrom('run_steps')
    .selectAll()
    .where('run_id', '=', runId)
    .where('owner_id', '=', ownerId)
    .orderBy('started_at')
    .orderBy('attempt')
    .orderBy('id')
    .execute();
  return rows.map(toRunStep);
}

export async function updateRunStep(db: Db, ownerId: string, id: string, patch: RunStepPatch): Promise<RunStep | undefined> {
  const set: Updateable<RunStepsTable> = {};
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.input !== undefined) set.input_json = toJson(patch.input);
  if (patch.output !== undefined) set.output_json = toJson(patch.output);
  if (patch.error !== undefined) set.error_json = toJson(patch.error);
  if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
  if (Object.keys(set).length > 0) {
    const result = await db.db.updateTable('run_steps').set(set).where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
  }
  return findRunStep(db, ownerId, id);
}

function toRunStep(row: Selectable<RunStepsTable>): RunStep {
  return {
    id: row.id,
    runId: row.run_id,
    ownerId: row.owner_id,
    stepId: row.step_id,
    nodeId: row.node_id,
    nodeType: row.node_type,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    attempt: Number(row.attempt),
    status: row.status as RunStepStatus,
    input: fromJson(row.input_json),
    output: fromJson(row.output_json),
    error: fromJson(row.error_json),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
