/**
 * Test support for the Dynamics event trigger poller (lib/flows/triggers/dynamics-poller.ts):
 * started flows whose published trigger is a Dynamics event, rows written straight into the
 * account's sandbox organization with the stamps a test needs (Dataverse's own modifiedon has second
 * precision; a test of ties and page boundaries needs to choose them), and the runs a flow got.
 * Used only by *.test.ts files and test/support/poller-process.ts.
 */
import { createFlow } from '../../lib/db/repositories/flows';
import type { Db } from '../../lib/db/database';
import type { SandboxCore } from '../../lib/dynamics/sandbox/sandbox-core';
import { buildNewRow } from '../../lib/dynamics/sandbox/model/rows';
import { getSchema } from '../../lib/dynamics/sandbox/model/schema';
import { SALES_USER, SANDBOX_BUSINESS_UNIT_ID, SANDBOX_CURRENCY_ID } from '../../lib/dynamics/sandbox/seed/constants';
import { toDataverseDate } from '../../lib/dynamics/sandbox/util/dates';
import { newGuid } from '../../lib/dynamics/sandbox/util/guid';

export interface DynamicsTriggerFlow {
  /** `dynamics.<table>.<event>` */
  type: string;
  accountId: string;
  inputs: Record<string, unknown>;
  startedAt: string;
  name?: string;
}

/** A flow that is started (active, version 1 published) with one Dynamics event trigger `tEvent`. */
export async function startedDynamicsFlow(db: Db, ownerId: string, flow: DynamicsTriggerFlow): Promise<string> {
  const document = {
    schemaVersion: 2,
    name: flow.name ?? 'on change',
    nodes: [
      {
        id: 'tEvent',
        type: flow.type,
        typeVersion: 1,
        position: { x: 0, y: 0 },
        params: { accountId: flow.accountId, inputs: flow.inputs },
      },
    ],
    edges: [],
  };
  const { flow: created } = await createFlow(db, ownerId, { name: `${flow.name ?? 'poll'}-${newGuid().slice(0, 8)}`, document });
  await db.db
    .updateTable('flows')
    .set({ status: 'active', published_version: 1, started_at: flow.startedAt })
    .where('id', '=', created.id)
    .execute();
  return created.id;
}

export interface RunRow {
  dedupe_key: string | null;
  trigger_kind: string | null;
  trigger_json: string | null;
}

export const runsOf = (db: Db, flowId: string): Promise<RunRow[]> =>
  db.db.selectFrom('runs').select(['dedupe_key', 'trigger_kind', 'trigger_json']).where('flow_id', '=', flowId).execute() as Promise<
    RunRow[]
  >;

/** The record ids the runs of a flow were started for (one entry per run). */
export async function triggeredIds(db: Db, flowId: string): Promise<string[]> {
  return (await runsOf(db, flowId)).map((r) => String((JSON.parse(r.trigger_json ?? 'null') as { id: string }).id).toLowerCase());
}

const actor = { userId: SALES_USER.systemuserid, businessUnitId: SANDBOX_BUSINESS_UNIT_ID, currencyId: SANDBOX_CURRENCY_ID };

/** Writes leads into an organization with chosen stamps, as the sandbox's own create and update do. */
export function leadWriter(org: SandboxCore) {
  return rowWriter(org, 'lead', (subject) => ({ subject, lastname: subject }));
}

/**
 * Writes rows of any sandbox table with chosen stamps (e.g. `transactioncurrency`, a table without
 * change tracking); `fieldsFor(name)` gives a new row's columns (default: the primary name column).
 */
export function rowWriter(org: SandboxCore, table: string, fieldsFor?: (name: string) => Record<string, unknown>) {
  const info = getSchema().tables.get(table);
  if (!info) throw new Error(`the sandbox has no ${table} table`);
  const fields = fieldsFor ?? ((name: string) => ({ [info.def.primaryName]: name }));
  return {
    create(name: string, atMs: number): string {
      const id = newGuid();
      org.store.put(table, id, buildNewRow(info, id, fields(name), actor, org.store.nextVersion(), atMs));
      return id;
    },
    update(id: string, atMs: number, changes: Record<string, unknown> = {}): void {
      const row = org.store.get(table, id);
      if (!row) throw new Error(`no ${table} ${id}`);
      org.store.put(table, id, { ...row, ...changes, modifiedon: toDataverseDate(atMs), versionnumber: org.store.nextVersion() });
    },
    remove(id: string): void {
      org.store.remove(table, id);
    },
  };
}
