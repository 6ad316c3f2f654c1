/**
 * startRuntime with QUEUE=pg-boss on a real PostgreSQL: a web process announces runs as jobs and
 * executes nothing; a worker process consumes them (a run enqueued in the worker's own process is
 * executed through its job, woken at once, not by the poll loop beside it); stop puts the embedded
 * queue back; a run released for a long retry wait is finished by the poll loop beside pg-boss. And `npm run worker` refuses QUEUE=pg-boss without DATABASE_URL in one line.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, storeFlow, waitForRuns } from '@/test/support/flow-docs';
import { enqueueRuns } from './enqueue';
import { jobIdOf, RUN_JOBS } from './pg-boss-queue';
import { runQueue } from './run-queue';
import { runtimeConfig } from './runtime-config';
import { startRuntime } from './start-runtime';

const root = resolve(__dirname, '../../..');

describe('startRuntime with QUEUE=pg-boss on postgres', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb('postgres');
  });
  afterAll(() => db.close());

  const jobOf = async (runId: string) =>
    (
      await sql<{ state: string; end: string | null }>`
        SELECT state, output->>'end' AS end FROM pgboss.job WHERE name = ${RUN_JOBS} AND id = ${jobIdOf(runId)}::uuid`.execute(db.db)
    ).rows[0];

  async function jobEnded(runId: string) {
    const deadline = Date.now() + 5_000;
    let job = await jobOf(runId);
    while (job?.state !== 'completed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      job = await jobOf(runId);
    }
    return job;
  }

  it('web announces and executes nothing; a worker executes the jobs; stop puts the embedded queue back', async () => {
    const ownerId = (await createTestUser(db, 'pgboss-rt')).id;
    const flowId = await storeFlow(
      db,
      ownerId,
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        { id: 'say', type: 'toolbox.log', inputs: { message: { expr: '"hello " & $trigger.name' } } },
      ]),
    );
    const request = { ownerId, flowId, flowVersion: 1, trigger: { name: 'Ada' }, triggerKind: 'manual.trigger' };
    const env = { QUEUE: 'pg-boss', DATABASE_URL: db.env.DATABASE_URL, RUN_WORKERS: '2' };

    const web = await startRuntime(db, { config: runtimeConfig({ ...env, RUNTIME: 'web' }), log: () => {} });
    let worker: Awaited<ReturnType<typeof startRuntime>> | undefined;
    try {
      expect([runQueue().name, web.consumer, web.workers]).toEqual(['pg-boss', undefined, undefined]);
      const [fromWeb] = await enqueueRuns(db, [request]);
      await new Promise((r) => setTimeout(r, 500));
      expect((await db.db.selectFrom('runs').select('status').where('id', '=', fromWeb!.runId).executeTakeFirstOrThrow()).status).toBe(
        'queued',
      );
      expect(await jobOf(fromWeb!.runId)).toEqual({ state: 'created', end: null });

      worker = await startRuntime(db, { config: runtimeConfig({ ...env, RUNTIME: 'worker' }), log: () => {} });
      expect(worker.consumer).toBeDefined();
      expect((await waitForRuns(db, [fromWeb!.runId]))[0]!.status).toBe('succeeded');
      // Its job ended either way: executed by the consumer, or skipped as the poll loop's first claim had it.
      expect((await jobEnded(fromWeb!.runId))?.state).toBe('completed');

      // Enqueued in the worker's process: its wake reaches the consumer, so the job executes the run
      // (the poll loop beside it sleeps 5 s between claims and is never woken).
      const [local] = await enqueueRuns(db, [request]);
      expect((await waitForRuns(db, [local!.runId], 4_000))[0]!.status).toBe('succeeded');
      expect(await jobEnded(local!.runId)).toEqual({ state: 'completed', end: 'finished' });
    } finally {
      await worker?.stop(2_000);
      await web.stop(1_000);
    }
    expect(runQueue().name).toBe('embedded');
  });

  it('a run released for a long retry wait (its job completed) is finished by the poll loop beside pg-boss', async () => {
    let calls = 0;
    const server = createServer((req, res) => {
      calls += 1;
      req.resume();
      res.writeHead(calls === 1 ? 429 : 200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const previous = process.env.HTTP_STEP_ALLOWED_HOSTS;
    process.env.HTTP_STEP_ALLOWED_HOSTS = host;
    const ownerId = (await createTestUser(db, 'pgboss-release')).id;
    const flowId = await storeFlow(
      db,
      ownerId,
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        {
          id: 'call',
          type: 'http.request',
          inputs: { method: 'GET', url: `http://${host}/x` },
          // Longer than the executor waits in memory (5 s): the run goes back to the runs table.
          retry: { maxAttempts: 2, delaySeconds: 6, backoff: 'fixed' },
        },
      ]),
    );
    const config = runtimeConfig({ QUEUE: 'pg-boss', DATABASE_URL: db.env.DATABASE_URL, RUNTIME: 'worker', RUN_WORKERS: '2' });
    const worker = await startRuntime(db, { config, log: () => {} });
    try {
      const [e] = await enqueueRuns(db, [{ ownerId, flowId, flowVersion: 1, trigger: {}, triggerKind: 'manual.trigger' }]);
      expect(await jobEnded(e!.runId)).toEqual({ state: 'completed', end: 'released' });
      expect((await db.db.selectFrom('runs').select('status').where('id', '=', e!.runId).executeTakeFirstOrThrow()).status).toBe('queued');
      expect((await waitForRuns(db, [e!.runId], 20_000))[0]!.status).toBe('succeeded');
      expect(calls).toBe(2);
    } finally {
      await worker.stop(2_000);
      server.close();
      if (previous === undefined) delete process.env.HTTP_STEP_ALLOWED_HOSTS;
      else process.env.HTTP_STEP_ALLOWED_HOSTS = previous;
    }
  }, 30_000);

  it('npm run worker: QUEUE=pg-boss without DATABASE_URL stops at start with one line, exit 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/flows/runtime/worker-main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', QUEUE: 'pg-boss' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(out.trim()).toBe('QUEUE=pg-boss needs DATABASE_URL (a PostgreSQL database shared by the web server and the workers).');
  });
});
