import { sql } from 'kysely';
import type { Db } from '../database';

/** One hour of a flow's runs: `hour` is the ISO prefix `YYYY-MM-DDTHH` (UTC) the runs were created in. */
export interface RunHour {
  hour: string;
  total: number;
  succeeded: number;
  failed: number;
}

export interface LastRun {
  id: string;
  status: string;
  mode: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface FlowRunFacts {
  /** The newest run of the flow (any status, live or test), or null when it never ran. */
  lastRun: LastRun | null;
  /** Only the hours since `since` that had runs, oldest first. */
  hours: RunHour[];
}

/**
 * The run figures of a page of the owner's flows, in one query for the whole page (not one per
 * flow): runs per flow and hour since `since` (created_at is ISO-8601 UTC text on both databases, so
 * its first 13 characters are the hour), and each flow's newest run, as one UNION ALL.
 *
 * Both parts start from the page's flows (`f.owner_id`, `f.id IN …`) and reach runs through
 * runs_flow_created_idx (flow_id, created_at). The owner is checked on the flow only: a run's
 * (flow_id, owner_id) is a foreign key to its flow's (id, owner_id), so it is the same owner, and
 * naming runs.owner_id as well leads SQLite (no ANALYZE statistics) to runs_owner_created_idx,
 * which reads every run of the owner in the window: about 5x slower on 100,000 runs
 * (bench/flows-dashboard-bench.ts).
 */
export async function flowRunFacts(db: Db, ownerId: string, flowIds: readonly string[], since: string): Promise<Map<string, FlowRunFacts>> {
  const facts = new Map<string, FlowRunFacts>(flowIds.map((id) => [id, { lastRun: null, hours: [] }]));
  if (flowIds.length === 0) return facts;
  const hour = sql<string>`substr(r.created_at, 1, 13)`;
  const buckets = db.db
    .selectFrom('flows as f')
    .innerJoin('runs as r', 'r.flow_id', 'f.id')
    .select([
      'r.flow_id',
      sql<string | null>`substr(r.created_at, 1, 13)`.as('hour'),
      sql<number | string>`count(*)`.as('total'),
      sql<number | string>`sum(case when r.status = 'succeeded' then 1 else 0 end)`.as('succeeded'),
      sql<number | string>`sum(case when r.status = 'failed' then 1 else 0 end)`.as('failed'),
      sql<string | null>`null`.as('run_id'),
      sql<string | null>`null`.as('run_status'),
      sql<string | null>`null`.as('run_mode'),
      sql<string | null>`null`.as('run_created_at'),
      sql<string | null>`null`.as('run_finished_at'),
    ])
    .where('f.owner_id', '=', ownerId)
    .where('f.id', 'in', [...flowIds])
    .where('r.created_at', '>=', since)
    .groupBy(['r.flow_id', hour]);
  const newest = db.db
    .selectFrom('runs as r')
    .select([
      'r.flow_id',
      sql<string | null>`null`.as('hour'),
      sql<number | string>`0`.as('total'),
      sql<number | string>`0`.as('succeeded'),
      sql<number | string>`0`.as('failed'),
      sql<string | null>`r.id`.as('run_id'),
      sql<string | null>`r.status`.as('run_status'),
      sql<string | null>`r.mode`.as('run_mode'),
      sql<string | null>`r.created_at`.as('run_created_at'),
      'r.finished_at as run_finished_at',
    ])
    // Driven from the page's flows, so the newest-run lookup runs once per flow, not once per run.
    .where('r.id', 'in', (eb) =>
      eb
        .selectFrom('flows as f')
        .select((inner) =>
          inner
            .selectFrom('runs as n')
            .select('n.id')
            .whereRef('n.flow_id', '=', 'f.id')
            .orderBy('n.created_at', 'desc')
            .orderBy('n.id', 'desc')
            .limit(1)
            .as('newest_id'),
        )
        .where('f.owner_id', '=', ownerId)
        .where('f.id', 'in', [...flowIds]),
    );
  const rows = await buckets.unionAll(newest).execute();
  for (const row of rows) {
    const entry = facts.get(row.flow_id);
    if (!entry) continue;
    if (row.run_id !== null) {
      entry.lastRun = {
        id: row.run_id,
        status: row.run_status ?? 'queued',
        mode: row.run_mode ?? 'live',
        createdAt: row.run_created_at ?? '',
        finishedAt: row.run_finished_at,
      };
    } else if (row.hour !== null) {
      // PostgreSQL answers count and sum as bigint text.
      entry.hours.push({ hour: row.hour, total: Number(row.total), succeeded: Number(row.succeeded), failed: Number(row.failed) });
    }
  }
  for (const entry of facts.values()) entry.hours.sort((a, b) => a.hour.localeCompare(b.hour));
  return facts;
}

/**
 * The current version (the draft) of each of the given flows of the owner, by its row id: a version
 * never changes, so what is derived from its document may be kept by this id.
 */
export async function currentDraftIds(db: Db, ownerId: string, flowIds: readonly string[]): Promise<Map<string, string>> {
  if (flowIds.length === 0) return new Map();
  const rows = await db.db
    .selectFrom('flow_versions as v')
    .innerJoin('flows as f', (join) =>
      join.onRef('f.id', '=', 'v.flow_id').onRef('f.owner_id', '=', 'v.owner_id').onRef('f.current_version', '=', 'v.version'),
    )
    .select(['v.flow_id', 'v.id'])
    .where('v.owner_id', '=', ownerId)
    .where('v.flow_id', 'in', [...flowIds])
    .execute();
  return new Map(rows.map((r) => [r.flow_id, r.id]));
}

/** The stored documents of the given versions of the owner's flows, by version id (only those not already known are asked for). */
export async function versionDocuments(db: Db, ownerId: string, versionIds: readonly string[]): Promise<Map<string, string>> {
  if (versionIds.length === 0) return new Map();
  const rows = await db.db
    .selectFrom('flow_versions')
    .select(['id', 'document_json'])
    .where('owner_id', '=', ownerId)
    .where('id', 'in', [...versionIds])
    .execute();
  return new Map(rows.map((r) => [r.id, r.document_json]));
}

export interface AccountLabel {
  id: string;
  name: string;
  status: string;
}

/** The owner's accounts as a dashboard names them: no configuration, no secrets. */
export async function accountLabels(db: Db, ownerId: string): Promise<Map<string, AccountLabel>> {
  const rows = await db.db.selectFrom('accounts').select(['id', 'name', 'status']).where('owner_id', '=', ownerId).execute();
  return new Map(rows.map((r) => [r.id, r]));
}
