import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../database';
import { newId } from '../ids';
import type { FlowsTable, FlowStatus } from '../schema';
import { nowIso } from '../time';
import { withTransaction } from '../transaction';
import type { FlowVersion } from './flow-versions';

export type { FlowStatus } from '../schema';

export interface Flow {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  status: FlowStatus;
  /** The newest saved version. */
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewFlow {
  name: string;
  description?: string;
  status?: FlowStatus;
  /** The flow document (validated by lib/flows before it gets here); saved as version 1. */
  document: unknown;
}

/** Creates a flow and its version 1 together. */
export async function createFlow(db: Db, ownerId: string, input: NewFlow): Promise<{ flow: Flow; version: FlowVersion }> {
  const now = nowIso();
  const flow: Selectable<FlowsTable> = {
    id: newId(),
    owner_id: ownerId,
    name: input.name.trim(),
    description: input.description ?? '',
    status: input.status ?? 'draft',
    current_version: 1,
    published_version: null,
    started_at: null,
    invoke_key_hash: null,
    invoke_key_prefix: null,
    created_at: now,
    updated_at: now,
  };
  const version = {
    id: newId(),
    flow_id: flow.id,
    owner_id: ownerId,
    version: 1,
    document_json: JSON.stringify(input.document),
    created_at: now,
  };
  await withTransaction(db, async (tx) => {
    await tx.db.insertInto('flows').values(flow).execute();
    await tx.db.insertInto('flow_versions').values(version).execute();
  });
  return {
    flow: toFlow(flow),
    version: { id: version.id, flowId: flow.id, ownerId, version: 1, document: input.document, createdAt: now },
  };
}

export async function findFlow(db: Db, ownerId: string, id: string): Promise<Flow | undefined> {
  const row = await db.db.selectFrom('flows').selectAll().where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
  return row && toFlow(row);
}

/** The owner's flows, most recently changed first. */
export async function listFlows(db: Db, ownerId: string, filter: { status?: FlowStatus } = {}): Promise<Flow[]> {
  let query = db.db.selectFrom('flows').selectAll().where('owner_id', '=', ownerId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('updated_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toFlow);
}

/** Renames, re-describes or starts/stops one of the owner's flows; undefined when not found. */
export async function updateFlow(
  db: Db,
  ownerId: string,
  id: string,
  patch: { name?: string; description?: string; status?: FlowStatus },
): Promise<Flow | undefined> {
  const set: Updateable<FlowsTable> = { updated_at: nowIso() };
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.status !== undefined) set.status = patch.status;
  const result = await db.db.updateTable('flows').set(set).where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
  return Number(result.numUpdatedRows) === 0 ? undefined : findFlow(db, ownerId, id);
}

/** Deletes one of the owner's flows with its versions, runs, steps and trigger state. */
export async function deleteFlow(db: Db, ownerId: string, id: string): Promise<boolean> {
  const result = await db.db.deleteFrom('flows').where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function toFlow(row: Selectable<FlowsTable>): Flow {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    description: row.description,
    status: row.status,
    currentVersion: Number(row.current_version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
