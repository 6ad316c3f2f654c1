import type { Selectable } from 'kysely';
import type { Db } from '../database';
import type { TriggerStateTable } from '../schema';
import { nowIso } from '../time';

/** Where a trigger of a flow has got to (e.g. a polling cursor); one per (flow, trigger key). */
export interface TriggerState {
  flowId: string;
  ownerId: string;
  triggerKey: string;
  cursor: unknown;
  updatedAt: string;
}

export async function getTriggerState(db: Db, ownerId: string, flowId: string, triggerKey: string): Promise<TriggerState | undefined> {
  const row = await db.db
    .selectFrom('trigger_state')
    .selectAll()
    .where('flow_id', '=', flowId)
    .where('trigger_key', '=', triggerKey)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return row && toTriggerState(row);
}

export async function listTriggerStates(db: Db, ownerId: string, flowId: string): Promise<TriggerState[]> {
  const rows = await db.db
    .selectFrom('trigger_state')
    .selectAll()
    .where('flow_id', '=', flowId)
    .where('owner_id', '=', ownerId)
    .orderBy('trigger_key')
    .execute();
  return rows.map(toTriggerState);
}

/**
 * Creates or replaces the cursor of a trigger of one of the owner's flows; false when the flow is
 * not the owner's. Call it in the same transaction as the runs it enqueues (withTransaction).
 */
export async function putTriggerState(db: Db, ownerId: string, flowId: string, triggerKey: string, cursor: unknown): Promise<boolean> {
  const flow = await db.db.selectFrom('flows').select('id').where('id', '=', flowId).where('owner_id', '=', ownerId).executeTakeFirst();
  if (!flow) return false;
  const now = nowIso();
  const result = await db.db
    .insertInto('trigger_state')
    .values({ flow_id: flowId, owner_id: ownerId, trigger_key: triggerKey, cursor_json: JSON.stringify(cursor ?? null), updated_at: now })
    .onConflict((oc) =>
      oc
        .columns(['flow_id', 'trigger_key'])
        .doUpdateSet((eb) => ({ cursor_json: eb.ref('excluded.cursor_json'), updated_at: eb.ref('excluded.updated_at') }))
        .where('trigger_state.owner_id', '=', ownerId),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Forgets one trigger's state, or all of a flow's when `triggerKey` is omitted. */
export async function deleteTriggerState(db: Db, ownerId: string, flowId: string, triggerKey?: string): Promise<boolean> {
  let query = db.db.deleteFrom('trigger_state').where('flow_id', '=', flowId).where('owner_id', '=', ownerId);
  if (triggerKey !== undefined) query = query.where('trigger_key', '=', triggerKey);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function toTriggerState(row: Selectable<TriggerStateTable>): TriggerState {
  return {
    flowId: row.flow_id,
    ownerId: row.owner_id,
    triggerKey: row.trigger_key,
    cursor: JSON.parse(row.cursor_json) as unknown,
    updatedAt: row.updated_at,
  };
}
