/**
 * Flows dashboard benchmark: one page of 50 flows with their figures (state, trigger, accounts, the
 * newest run and runs per hour over 24 hours), for an owner with 200 flows of 40 steps and 100,000
 * runs over the last two days, on SQLite (and PostgreSQL with `--postgres`). Measured against two
 * baselines in the same run: the same figures asked one flow at a time (a query per flow), and what
 * the list cost before the dashboard (the page, then one GET /api/flows/{id} per row for its
 * trigger: a full validation each).
 *
 * Run: `node --import tsx bench/flows-dashboard-bench.ts [--flows 200] [--runs 100000] [--rounds 30] [--postgres]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../lib/db/database';
import { newId } from '../lib/db/ids';
import { migrateToLatest } from '../lib/db/migrate';
import { flowRunFacts } from '../lib/db/repositories/flow-dashboard';
import { createFlow, listFlowPage } from '../lib/db/repositories/flows';
import { createUser } from '../lib/db/repositories/users';
import { windowStart } from '../lib/flows/service/flow-list-item';
import { getFlow } from '../lib/flows/service/get-flow';
import { listFlows } from '../lib/flows/service/list-flows';
import { startPgCluster } from '../scripts/lib/pg-cluster.mjs';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const FLOWS = arg('flows', 200);
const RUNS = arg('runs', 100_000);
const ROUNDS = arg('rounds', 30);
const PAGE = 50;
const POSTGRES = process.argv.includes('--postgres');

/** A manual trigger and a chain of 39 Log steps, each reading the previous one's output. */
function document(name: string) {
  const nodes = [{ id: 'tManual00001', type: 'manual.trigger', typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs: {} } }];
  const edges = [];
  for (let i = 1; i < 40; i++) {
    const id = `sLog${String(i).padStart(8, '0')}`;
    nodes.push({
      id,
      type: 'toolbox.log',
      typeVersion: 1,
      position: { x: 240 * i, y: 0 },
      params: { inputs: { level: 'info', message: { expr: `"step ${i}: " & $string($steps.${nodes[i - 1]!.id}.output)` } } as never },
    });
    edges.push({ id: `e${i}`, from: { node: nodes[i - 1]!.id, handle: 'next' }, to: { node: id } });
  }
  return { schemaVersion: 2, name, nodes, edges };
}

async function seed(db: Db, ownerId: string, now: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < FLOWS; i++) ids.push((await createFlow(db, ownerId, { name: `Flow ${i}`, document: document(`Flow ${i}`) })).flow.id);
  const statuses = ['succeeded', 'succeeded', 'succeeded', 'failed', 'running'];
  for (let start = 0; start < RUNS; start += 500) {
    const rows = [];
    for (let j = start; j < Math.min(RUNS, start + 500); j++) {
      const createdAt = new Date(now - Math.floor(((j * 7919) % RUNS) * ((48 * 3_600_000) / RUNS))).toISOString();
      rows.push({
        id: newId(),
        owner_id: ownerId,
        flow_id: ids[j % ids.length]!,
        flow_version: 1,
        status: statuses[j % statuses.length]!,
        trigger_json: null,
        error_json: null,
        started_at: createdAt,
        finished_at: createdAt,
        created_at: createdAt,
        trigger_kind: 'manual.trigger',
        dedupe_key: null,
        state_json: null,
        response_json: null,
        lease_owner: null,
        rerun_of: null,
        updated_at: createdAt,
      });
    }
    await db.db.insertInto('runs').values(rows).execute();
  }
  return ids;
}

async function median(label: string, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const m = times[Math.floor(times.length / 2)]!;
  console.log(
    `${label.padEnd(58)} median ${m.toFixed(2).padStart(8)} ms   p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(2).padStart(8)} ms`,
  );
  return m;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'dfd-dash-bench-'));
  const pg = POSTGRES ? await startPgCluster({ database: 'dfd_bench' }) : undefined;
  const db = await openDatabase(pg ? { url: pg.url } : { sqlitePath: join(dir, 'app.db') });
  try {
    await migrateToLatest(db);
    const user = await createUser(db, { email: 'bench@example.test', name: 'bench', passwordHash: 'scrypt$none' });
    const ctx = { db, ownerId: user.id };
    const now = Date.now();
    const t = performance.now();
    await seed(db, user.id, now);
    console.log(
      `${db.kind}: ${FLOWS} flows of 40 steps, ${RUNS} runs over 48 h (seeded in ${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );

    const page = await listFlows(ctx, { limit: PAGE }, now);
    const inWindow = page.flows.reduce((n, f) => n + f.last24h.runs, 0);
    console.log(`a page of ${page.flows.length} flows, ${inWindow} of their runs in the window`);

    const dashboard = await median(`dashboard page: ${PAGE} flows with every figure`, () => listFlows(ctx, { limit: PAGE }, now));
    const since = windowStart(now);
    const ids = page.flows.map((f) => f.id);
    const oneQuery = await median(`run figures of the page in one query`, () => flowRunFacts(db, user.id, ids, since));
    const perFlow = await median(`run figures, one query per flow (${PAGE} queries)`, async () => {
      for (const id of ids) await flowRunFacts(db, user.id, [id], since);
    });
    const before = await median(`before: the page, then GET /api/flows/{id} per row`, async () => {
      const flows = await listFlowPage(db, user.id, { limit: PAGE });
      await Promise.all(flows.map((f) => getFlow(ctx, f.id)));
    });
    console.log(
      `ratios: a query per flow ${(perFlow / oneQuery).toFixed(1)}x the one query; the list before ${(before / dashboard).toFixed(1)}x the dashboard page`,
    );
  } finally {
    await db.close();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
