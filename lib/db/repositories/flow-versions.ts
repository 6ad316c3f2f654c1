import type { Selectable } from 'kysely';
import type { Db } from '../database';
import { ConflictError } from '../errors';
import { newId } from '../ids';
import type { FlowVersionsTable } from '../schema';
import { nowIso } from '../time';
import { withTransaction } from '../transaction';

export interface FlowVersion {
  id: string;
  flowId: string;
  ownerId: string;
  version: number;
  /** The stored flow document; callers validate (and migrate) it with lib/flows. */
  document: unknown;
  createdAt: string;
}

export type FlowVersionSummary = Omit<FlowVersion, 'document'>;

/**
 * Saves a new version of one of the owner's flows and makes it current. With `expectedVersion`
 * (the version the editor started from) throws ConflictError when someone saved in between.
 * Undefined when the flow is not the owner's.
 */
export async function saveFlowVersion(
  db: Db,
  ownerId: string,
  flowId: string,
  document: unknown,
  opts: { expectedVersion?: number } = {},
): Promise<FlowVersion | undefined> {
  return withTransaction(db, async (tx) => {
    const flow = await tx.db
      .selectFrom('flows')
      .select('current_version')
      .where('id', '=', flowId)
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    if (!flow) return undefined;
    const current = Number(flow.current_version);
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== current) {
      throw new ConflictError(`flow was saved elsewhere: expected version ${opts.expectedVersion}, found ${current}`);
    }
    const now = nowIso();
    // Compare-and-set on current_version: of two concurrent saves from the same version, one wins.
    const bumped = await tx.db
      .updateTable('flows')
      .set({ current_version: current + 1, updated_at: now })
      .where('id', '=', flowId)
      .where('owner_id', '=', ownerId)
      .where('current_version', '=', current)
      .executeTakeFirst();
    if (Number(bumped.numUpdatedRows) === 0) throw new ConflictError('flow was saved elsewhere at the same time');
    const row = {
      id: newId(),
      flow_id: flowId,
      owner_id: ownerId,
      version: current + 1,
      document_json: JSON.stringify(document),
      created_at: now,
    };
    await tx.db.insertInto('flow_versions').values(row).execute();
    return toFlowVersion(row);
  });
}

/** One version of one of the owner's flows; the current one when `version` is omitted. */
export async function findFlowVersion(db: Db, ownerId: string, flowId: string, version?: number): Promise<FlowVersion | undefined> {
  let query = db.db
    .selectFrom('flow_versions as v')
    .innerJoin('flows as f', (join) => join.onRef('f.id', '=', 'v.flow_id').onRef('f.owner_id', '=', 'v.owner_id'))
    .selectAll('v')
    .where('v.flow_id', '=', flowId)
    .where('v.owner_id', '=', ownerId);
  query = version === undefined ? query.whereRef('v.version', '=', 'f.current_version') : query.where('v.version', '=', version);
  const row = await query.executeTakeFirst();
  return row && toFlowVersion(row);
}

/** The versions of one of the owner's flows, newest first, without their documents. */
export async function listFlowVersions(db: Db, ownerId: string, flowId: string): Promise<FlowVersionSummary[]> {
  const rows = await db.db
    .selectFrom('flow_versions')
    .select(['id', 'flow_id', 'owner_id', 'version', 'created_at'])
    .where('flow_id', '=', flowId)
    .where('owner_id', '=', ownerId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, flowId: r.flow_id, ownerId: r.owner_id, version: Number(r.version), createdAt: r.created_at }));
}

function toFlowVersion(row: Selectable<FlowVersionsTable>): FlowVersion {
  return {
    id: row.id,
    flowId: row.flow_id,
    ownerId: row.owner_id,
    version: Number(row.version),
    document: JSON.parse(row.document_json) as unknown,
    createdAt: row.created_at,
  };
}
