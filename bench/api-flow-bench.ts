/**
 * API-triggered flow benchmark: invoke → Set variable → Response, through the production server
 * (`scripts/serve.mjs` on a built app) in embedded mode with the SQLite database, run history
 * persisted (every run and step recorded). 10 concurrent clients with keep-alive post to
 * `/api/flows/{id}/invoke` for the measured window after a warm-up; runs per second and latency
 * p50/p99, then the database is checked: one succeeded run with its steps per answered request.
 * Target (issue 9): at least 500 runs/s, p50 under 20 ms. n8n 1.123 on this machine: 47 runs/s
 * (defaults), 85 runs/s (tuned).
 *
 * Run: `npm run build && node --import tsx bench/api-flow-bench.ts [--clients 10] [--seconds 10] [--warmup 3]`
 *
 * Scale-out (`--workers N`): a throwaway PostgreSQL cluster, the server as `RUNTIME=web QUEUE=pg-boss`
 * (it serves and enqueues, executes nothing) and N `npm run worker` processes executing the runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { openDatabase } from '../lib/db/database';
import { migrateToLatest } from '../lib/db/migrate';
import { createFlow } from '../lib/db/repositories/flows';
import { createUser } from '../lib/db/repositories/users';
import { startFlow } from '../lib/flows/service/start-flow';
import { startPgCluster } from '../scripts/lib/pg-cluster.mjs';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CLIENTS = arg('clients', 10);
const SECONDS = arg('seconds', 10);
const WARMUP = arg('warmup', 3);
const WORKERS = arg('workers', 0);
const PROFILE = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined;
const KEY = Buffer.alloc(32, 5).toString('base64');
const root = new URL('..', import.meta.url).pathname;

const doc = {
  schemaVersion: 2,
  name: 'Echo',
  nodes: [
    { id: 'req', type: 'api.request', typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs: { method: 'POST' } } },
    {
      id: 'setv',
      type: 'toolbox.set_variable',
      typeVersion: 1,
      position: { x: 240, y: 0 },
      params: { inputs: { variable: 'email', value: { expr: '$trigger.body.email' } } },
    },
    {
      id: 'answer',
      type: 'api.response',
      typeVersion: 1,
      position: { x: 480, y: 0 },
      params: { inputs: { status: 200, body: { received: { expr: '$vars.email' } } } },
    },
  ],
  edges: [
    { id: 'e1', from: { node: 'req', handle: 'next' }, to: { node: 'setv' } },
    { id: 'e2', from: { node: 'setv', handle: 'next' }, to: { node: 'answer' } },
  ],
};

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'dfd-bench-api-'));
  const pg = WORKERS > 0 ? await startPgCluster({ database: 'dfd_bench' }) : undefined;
  const dbEnv: Record<string, string> = pg ? { DATABASE_URL: pg.url, QUEUE: 'pg-boss' } : {};
  const db = await openDatabase(pg ? { url: pg.url } : { sqlitePath: join(dataDir, 'app.db') });
  await migrateToLatest(db);
  const user = await createUser(db, { email: 'bench@example.test', name: 'bench', passwordHash: 'scrypt$none' });
  const { flow } = await createFlow(db, user.id, { name: 'Echo', document: doc });
  const started = await startFlow({ db, ownerId: user.id }, flow.id);
  await db.close();

  const port = await freePort();
  // --profile <dir>: a V8 CPU profile of the server, written when it stops.
  const server = spawn(process.execPath, [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : []), 'scripts/serve.mjs'], {
    cwd: root,
    env: {
      ...process.env,
      ...dbEnv,
      ...(pg ? { RUNTIME: 'web' } : {}),
      PORT: String(port),
      DATA_DIR: dataDir,
      APP_ENCRYPTION_KEY: KEY,
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const workers = Array.from({ length: WORKERS }, () =>
    spawn(join(root, 'node_modules/.bin/tsx'), ['lib/flows/runtime/worker-main.ts'], {
      cwd: root,
      env: { ...process.env, ...dbEnv, RUNTIME: 'worker', DATA_DIR: dataDir, APP_ENCRYPTION_KEY: KEY },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (b: Buffer) => b.toString().includes('Ready on') && resolve());
    server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });

  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const path = `/api/flows/${flow.id}/invoke`;
  let n = 0;
  const invoke = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const payload = JSON.stringify({ email: `lead${n++}@example.test` });
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-flow-key': started.invokeKey! },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => {
            const body = JSON.parse(text) as { received?: string };
            if (res.statusCode !== 200 || typeof body.received !== 'string')
              reject(new Error(`unexpected answer ${res.statusCode} ${text}`));
            else resolve(performance.now() - t0);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const drive = async (seconds: number, latencies: number[]) => {
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < until) latencies.push(await invoke());
      }),
    );
  };

  await drive(WARMUP, []);
  const latencies: number[] = [];
  const t0 = performance.now();
  await drive(SECONDS, latencies);
  const elapsed = (performance.now() - t0) / 1000;
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))));
  agent.destroy();

  const check = await openDatabase(pg ? { url: pg.url } : { sqlitePath: join(dataDir, 'app.db') });
  const runs = await check.db
    .selectFrom('runs')
    .select((eb) => [eb.fn.countAll<number>().as('n'), 'status'])
    .groupBy('status')
    .execute();
  const steps = await check.db
    .selectFrom('run_steps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await check.close();
  await pg?.stop();
  if (process.env.KEEP) console.log(dataDir);
  else rmSync(dataDir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const total = runs.reduce((s, r) => s + Number(r.n), 0);
  console.log(
    JSON.stringify(
      {
        mode: pg ? `scale-out: PostgreSQL + pg-boss, ${WORKERS} worker process${WORKERS === 1 ? '' : 'es'}` : 'embedded (SQLite)',
        clients: CLIENTS,
        seconds: Number(elapsed.toFixed(2)),
        requests: latencies.length,
        runsPerSecond: Math.round(latencies.length / elapsed),
        p50ms: Number(percentile(latencies, 50).toFixed(2)),
        p99ms: Number(percentile(latencies, 99).toFixed(2)),
        runsByStatus: Object.fromEntries(runs.map((r) => [r.status, Number(r.n)])),
        runsRecorded: total,
        stepsRecorded: Number(steps.n),
      },
      null,
      2,
    ),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
