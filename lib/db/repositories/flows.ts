import { sql, type Selectable, type Updateable } from 'kysely';
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
  /** The version live runs use (set when the flow is started); null until first started. */
  publishedVersion: number | null;
  /** When the flow was last started: only trigger events after it count. */
  startedAt: string | null;
  /** The first characters of the API trigger's key (the key itself is shown once, never stored). */
  invokeKeyPrefix: string | null;
  hasInvokeKey: boolean;
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

export type FlowSort = 'name' | 'created' | 'modified';

export interface FlowPageQuery {
  /** Case-insensitive substring of the name. */
  q?: string;
  /** name A–Z, or newest created / modified first (default). */
  sort?: FlowSort;
  /** Reverses the sort's own direction when given against it: name Z–A, oldest first. */
  dir?: 'asc' | 'desc';
  /** Page size, 1–200 (default 50). */
  limit?: number;
  /** Keyset paging: the last id of the previous page. */
  afterId?: string;
}

const SORT_COLUMN = { name: 'name', created: 'created_at', modified: 'updated_at' } as const;

/** One page of the owner's flows, searched and sorted; keyset-paged on (sort column, id). */
export async function listFlowPage(db: Db, ownerId: string, page: FlowPageQuery = {}): Promise<Flow[]> {
  const sort = page.sort ?? 'modified';
  // Names read A–Z whatever their case (a plain text order puts every capital before 'a'); times newest first.
  const key = sort === 'name' ? sql<string>`lower(name)` : sql.ref<string>(SORT_COLUMN[sort]);
  const dir = page.dir ?? (sort === 'name' ? 'asc' : 'desc');
  let query = db.db.selectFrom('flows').selectAll().where('owner_id', '=', ownerId);
  if (page.q !== undefined && page.q.trim() !== '') {
    // LIKE is case-sensitive on PostgreSQL: compare lower-cased; escape the wildcards of the search text.
    const needle = `%${page.q
      .trim()
      .toLowerCase()
      .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(name) like ${needle} escape '\\'`);
  }
  if (page.afterId !== undefined) {
    const cursor = await db.db
      .selectFrom('flows')
      .select(['id', key.as('sort_key')])
      .where('id', '=', page.afterId)
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    if (!cursor) return [];
    const value = cursor.sort_key;
    const op = dir === 'asc' ? '>' : '<';
    query = query.where((eb) => eb.or([eb(key, op, value), eb.and([eb(key, '=', value), eb('id', op, cursor.id)])]));
  }
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? 50), 1), 200);
  const rows = await query.orderBy(key, dir).orderBy('id', dir).limit(limit).execute();
  return rows.map(toFlow);
}

/**
 * Publishes a version of one of the owner's flows and starts it: live runs use `version` from now
 * on, and only trigger events after `startedAt` count. Undefined when not found.
 */
export async function publishFlow(
  db: Db,
  ownerId: string,
  id: string,
  input: { version: number; startedAt: string },
): Promise<Flow | undefined> {
  const result = await db.db
    .updateTable('flows')
    .set({ published_version: input.version, status: 'active', started_at: input.startedAt, updated_at: nowIso() })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 0 ? undefined : findFlow(db, ownerId, id);
}

/** Replaces the API trigger key of one of the owner's flows (its sha256 and display prefix); false when not found. */
/**
 * Stores the flow's key hash. `onlyIfNone`: only when the flow has no key yet (a first start), so
 * two concurrent first starts cannot both show a key while only the second one works.
 */
export async function setFlowInvokeKey(
  db: Db,
  ownerId: string,
  id: string,
  key: { hash: string; prefix: string },
  opts: { onlyIfNone?: boolean } = {},
): Promise<boolean> {
  let query = db.db
    .updateTable('flows')
    .set({ invoke_key_hash: key.hash, invoke_key_prefix: key.prefix })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId);
  if (opts.onlyIfNone) query = query.where('invoke_key_hash', 'is', null);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function toFlow(row: Selectable<FlowsTable>): Flow {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    description: row.description,
    status: row.status,
    currentVersion: Number(row.current_version),
    publishedVersion: row.published_version === null ? null : Number(row.published_version),
    startedAt: row.started_at,
    invokeKeyPrefix: row.invoke_key_prefix,
    hasInvokeKey: row.invoke_key_hash !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
