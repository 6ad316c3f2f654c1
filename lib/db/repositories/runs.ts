import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../database';
import { newId } from '../ids';
import { fromJson, toJson } from '../json';
import type { RunsTable } from '../schema';
import { nowIso } from '../time';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Run {
  id: string;
  ownerId: string;
  flowId: string;
  flowVersion: number;
  status: RunStatus;
  /** `live` (a started flow's trigger) or `test` (a draft tested from the editor). */
  mode: string;
  /** The trigger node's type that started the run. */
  triggerKind: string | null;
  /** The run this one re-runs. */
  rerunOf: string | null;
  /** What started the run (trigger event, manual input). */
  trigger: unknown;
  error: unknown;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
}

export interface NewRun {
  /** A caller-chosen id (e.g. to derive idempotency keys before the insert); generated otherwise. */
  id?: string;
  flowId: string;
  flowVersion: number;
  status?: RunStatus;
  trigger?: unknown;
}

export interface RunPatch {
  status?: RunStatus;
  error?: unknown;
  startedAt?: string | null;
  finishedAt?: string | null;
}

/** Records a run of one of the owner's flows; undefined when the flow is not the owner's. */
export async function createRun(db: Db, ownerId: string, input: NewRun): Promise<Run | undefined> {
  // Checked here for a clean "not found"; the (flow_id, owner_id) foreign key enforces it regardless.
  const flow = await db.db
    .selectFrom('flows')
    .select('id')
    .where('id', '=', input.flowId)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  if (!flow) return undefined;
  const row: Selectable<RunsTable> = {
    id: input.id ?? newId(),
    owner_id: ownerId,
    flow_id: input.flowId,
    flow_version: input.flowVersion,
    status: input.status ?? 'queued',
    trigger_json: toJson(input.trigger),
    error_json: null,
    started_at: null,
    finished_at: null,
    created_at: nowIso(),
    mode: 'live',
    trigger_kind: null,
    dedupe_key: null,
    state_json: null,
    response_json: null,
    fence: 0,
    lease_owner: null,
    lease_until: 0,
    available_at: 0,
    chain_depth: 0,
    rerun_of: null,
    step_count: 0,
    updated_at: null,
  };
  await db.db.insertInto('runs').values(row).execute();
  return toRun(row);
}

export async function findRun(db: Db, ownerId: string, id: string): Promise<Run | undefined> {
  const row = await db.db.selectFrom('runs').selectAll().where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
  return row && toRun(row);
}

export interface RunFilter {
  flowId?: string;
  status?: RunStatus;
  mode?: string;
  /** Only runs created at or after this ISO time. */
  createdFrom?: string;
  /** Only runs created before this ISO time. */
  createdTo?: string;
  /** Page size, 1–500 (default 50). */
  limit?: number;
  /** Keyset paging: only runs created before this run (pass the last id of the previous page). */
  beforeId?: string;
}

/** The owner's runs, newest first. */
export async function listRuns(db: Db, ownerId: string, filter: RunFilter = {}): Promise<Run[]> {
  let query = db.db.selectFrom('runs').selectAll().where('owner_id', '=', ownerId);
  if (filter.flowId !== undefined) query = query.where('flow_id', '=', filter.flowId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.mode !== undefined) query = query.where('mode', '=', filter.mode);
  if (filter.createdFrom !== undefined) query = query.where('created_at', '>=', filter.createdFrom);
  if (filter.createdTo !== undefined) query = query.where('created_at', '<', filter.createdTo);
  if (filter.beforeId !== undefined) {
    const cursor = await findRun(db, ownerId, filter.beforeId);
    if (!cursor) return [];
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', cursor.createdAt), eb.and([eb('created_at', '=', cursor.createdAt), eb('id', '<', cursor.id)])]),
    );
  }
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 50), 1), 500);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toRun);
}

/**
 * Updates one of the owner's runs; undefined when not found, or when `expectedStatus` is given and
 * the run is no longer in it (so two workers cannot both move a run on).
 */
export async function updateRun(
  db: Db,
  ownerId: string,
  id: string,
  patch: RunPatch,
  opts: { expectedStatus?: RunStatus } = {},
): Promise<Run | undefined> {
  const set: Updateable<RunsTable> = {};
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.error !== undefined) set.error_json = toJson(patch.error);
  if (patch.startedAt !== undefined) set.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
  if (Object.keys(set).length > 0) {
    let query = db.db.updateTable('runs').set(set).where('id', '=', id).where('owner_id', '=', ownerId);
    if (opts.expectedStatus !== undefined) query = query.where('status', '=', opts.expectedStatus);
    const result = await query.executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
  }
  return findRun(db, ownerId, id);
}

/** Deletes one of the owner's runs with its steps. */
export async function deleteRun(db: Db, ownerId: string, id: string): Promise<boolean> {
  const result = await db.db.deleteFrom('runs').where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function toRun(row: Selectable<RunsTable>): Run {
  return {
    id: row.id,
    ownerId: row.owner_id,
    flowId: row.flow_id,
    flowVersion: Number(row.flow_version),
    status: row.status as RunStatus,
    mode: row.mode,
    triggerKind: row.trigger_kind,
    rerunOf: row.rerun_of,
    trigger: fromJson(row.trigger_json),
    error: fromJson(row.error_json),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    createdAt: row.created_at,
  };
}
