/**
 * Scale-out on a real PostgreSQL: two `npm run worker` processes (worker-main.ts, QUEUE=pg-boss,
 * RUN_LEASE_MS=2000) share 500 runs of a flow whose two HTTP request steps each take ~20 ms at a
 * local service that records every Idempotency-Key. One worker is killed with SIGKILL midway.
 * Every run must finish exactly once — succeeded, one succeeded record per step key — and the
 * service must have seen every step key once, except the step each killed run had in flight, which
 * may come twice, with the same key. The survivor then stops gracefully on SIGTERM.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, storeFlow, waitForRuns } from '@/test/support/flow-docs';
import { enqueueRuns } from './enqueue';
import { openPgBossQueue, RUN_JOBS, type PgBossRunQueue } from './pg-boss-queue';

const root = resolve(__dirname, '../../..');
const ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64');
const RUNS = 500;
const KILL_AFTER_SUCCEEDED = 150;

interface Worker {
  child: ChildProcessWithoutNullStreams;
  id: Promise<string>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

describe('scale-out: two worker processes on one PostgreSQL, one killed midway', () => {
  let db: TestDb;
  let queue: PgBossRunQueue;
  let server: Server;
  let allowedHost: string;
  let url: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'dfd-scale-out-'));
  /** Idempotency-Key → times the service received it. */
  const seen = new Map<string, number>();
  const workers: Worker[] = [];

  beforeAll(async () => {
    db = await openTestDb('postgres');
    queue = await openPgBossQueue(db, { supervise: false });
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const key = String(req.headers['idempotency-key'] ?? 'none');
        seen.set(key, (seen.get(key) ?? 0) + 1);
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 20);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    allowedHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    url = `http://${allowedHost}/hook`;
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await queue.close();
    server.closeAllConnections();
    server.close();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function startWorker(): Worker {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/flows/runtime/worker-main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        ...db.env,
        DATA_DIR: dataDir,
        APP_ENCRYPTION_KEY: ENCRYPTION_KEY,
        QUEUE: 'pg-boss',
        RUN_LEASE_MS: '2000',
        RUN_WORKERS: '8',
        HTTP_STEP_ALLOWED_HOSTS: allowedHost,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const id = new Promise<string>((resolveId, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /^flow worker (\S+): postgres /m.exec(stdout);
        if (m) resolveId(m[1]!);
      });
      child.on('exit', () => reject(new Error(`worker exited before it started: ${stderr}`)));
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const w = { child, id, stdout: () => stdout, stderr: () => stderr, exited };
    workers.push(w);
    return w;
  }

  it('every run finishes exactly once; only the steps in flight at the kill reach the service twice, with the same key', async () => {
    const ownerId = (await createTestUser(db, 'scale-out')).id;
    const flowId = await storeFlow(
      db,
      ownerId,
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        {
          id: 'first',
          type: 'http.request',
          inputs: { method: 'POST', url, body: { n: { expr: '$trigger.n' } } },
          retry: { maxAttempts: 1 },
        },
        {
          id: 'second',
          type: 'http.request',
          inputs: { method: 'POST', url, body: { n: { expr: '$trigger.n' } } },
          retry: { maxAttempts: 1 },
        },
      ]),
    );
    const [a, b] = [startWorker(), startWorker()];
    const [idA, idB] = await Promise.all([a.id, b.id]);
    expect(idA).not.toBe(idB);

    const runIds: string[] = [];
    for (let i = 0; i < RUNS; i += 50) {
      const batch = Array.from({ length: 50 }, (_, j) => ({
        ownerId,
        flowId,
        flowVersion: 1,
        trigger: { n: i + j },
        triggerKind: 'manual.trigger',
      }));
      runIds.push(...(await enqueueRuns(db, batch, queue)).map((e) => e.runId));
    }

    // Kill A once it is midway: enough runs done overall, and A holding runs right now.
    let heldByA: string[] = [];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const rows = await db.db.selectFrom('runs').select(['id', 'status', 'lease_owner']).where('flow_id', '=', flowId).execute();
      const succeeded = rows.filter((r) => r.status === 'succeeded').length;
      heldByA = rows.filter((r) => r.status === 'running' && r.lease_owner === idA).map((r) => r.id);
      if (succeeded >= KILL_AFTER_SUCCEEDED && heldByA.length > 0) break;
      if (succeeded === RUNS || Date.now() > deadline)
        throw new Error(`no moment to kill A: ${succeeded} succeeded, A holds ${heldByA.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    a.child.kill('SIGKILL');
    await a.exited;
    // What A held at the kill, read after it is gone (a run it claimed in the last instant counts too).
    const held = new Set(
      (
        await db.db
          .selectFrom('runs')
          .select('id')
          .where('flow_id', '=', flowId)
          .where('status', '=', 'running')
          .where('lease_owner', '=', idA)
          .execute()
      ).map((r) => r.id),
    );
    expect(held.size).toBeGreaterThan(0);

    const rows = await waitForRuns(db, runIds, 60_000);
    expect(rows.filter((r) => r.status !== 'succeeded')).toEqual([]);

    // One succeeded record per step key of every run, nothing else.
    const steps = await sql<{ run_id: string; step_id: string; n: string; ok: string }>`
      SELECT run_id, step_id, count(*) AS n, count(*) FILTER (WHERE status = 'succeeded') AS ok
      FROM run_steps WHERE run_id = ANY(${runIds}) GROUP BY run_id, step_id`.execute(db.db);
    expect(steps.rows).toHaveLength(RUNS * 3);
    expect(steps.rows.filter((s) => Number(s.n) !== 1 || Number(s.ok) !== 1)).toEqual([]);

    // The service: every HTTP step key once; twice only for a run A held at the kill, one step per run.
    for (const id of runIds) for (const step of ['first', 'second']) expect(seen.get(`${id}:${step}`) ?? 0).toBeGreaterThanOrEqual(1);
    expect(seen.size).toBe(RUNS * 2);
    const twice = [...seen].filter(([, n]) => n > 1);
    expect(twice.filter(([, n]) => n > 2)).toEqual([]);
    expect(twice.filter(([key]) => !held.has(key.split(':')[0]!))).toEqual([]);
    const runsTwice = twice.map(([key]) => key.split(':')[0]!);
    expect(new Set(runsTwice).size).toBe(runsTwice.length);

    // Every job ended — its run executed, or skipped because the poll loop had it — except the ones
    // A had fetched when it died (at most its RUN_WORKERS): they stay active until they expire,
    // while their runs were finished by B's poll loop.
    const jobs = await sql<{ state: string; end: string | null; n: string }>`
      SELECT state, output->>'end' AS end, count(*) AS n FROM pgboss.job
      WHERE name = ${RUN_JOBS} AND data->>'runId' = ANY(${runIds}) GROUP BY 1, 2`.execute(db.db);
    const count = (state: string, end?: string) =>
      jobs.rows.filter((r) => r.state === state && (end === undefined || r.end === end)).reduce((n, r) => n + Number(r.n), 0);
    expect(count('completed') + count('active')).toBe(RUNS);
    expect(count('active')).toBeLessThanOrEqual(8);
    // Most runs came through their job, not the poll loop.
    expect(count('completed', 'finished')).toBeGreaterThan(RUNS / 2);

    // The survivor stops gracefully and logged no failure.
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(b.stderr()).toBe('');
    expect(b.stdout()).toMatch(/SIGTERM, stopping/);
  }, 120_000);
});
