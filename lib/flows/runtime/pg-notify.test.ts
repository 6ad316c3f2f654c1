/**
 * LISTEN/NOTIFY between processes on a real PostgreSQL (pg-notify.ts): a notification sent on
 * another connection reaches the listener; an enqueue whose transaction rolls back sends nothing;
 * the listener reconnects after its backend is terminated and hears the next one; and with a
 * web-role runtime here and a worker (`npm run worker`) in a child process, a run enqueued here is
 * executed there and its change heard here at once — both through runChanges with a 5 s fallback
 * poll, and through invokeFlow waiting for the Response.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlow } from '@/lib/db/repositories/flows';
import { withTransaction } from '@/lib/db/transaction';
import { createTestUser, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, storeFlow } from '@/test/support/flow-docs';
import { invokeFlow } from '../service/invoke-flow';
import { startFlow } from '../service/start-flow';
import { enqueueRuns } from './enqueue';
import { openPgBossQueue, type PgBossRunQueue } from './pg-boss-queue';
import { RUN_CHANGED, RUNS_ENQUEUED, startPgListener, type PgListener } from './pg-notify';
import { runChanges } from './run-signals';
import { runtimeConfig } from './runtime-config';
import { startRuntime } from './start-runtime';

const root = resolve(__dirname, '../../..');
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('pg-notify on postgres', () => {
  let db: TestDb;
  let url: string;
  beforeAll(async () => {
    db = await openTestDb('postgres');
    url = db.env.DATABASE_URL!;
  });
  afterAll(() => db.close());

  it('a notification sent on another connection reaches the listener, on its channel only', async () => {
    const heard: string[] = [];
    const listener = await startPgListener({ url, channels: { [RUN_CHANGED]: (p) => heard.push(p) }, log: () => {} });
    try {
      expect(listener.backendPid).toBeGreaterThan(0);
      await sql`SELECT pg_notify('dfd_other_channel', 'ignored')`.execute(db.db);
      await sql`SELECT pg_notify(${RUN_CHANGED}, 'run-1')`.execute(db.db);
      await until(() => heard.length > 0);
      expect(heard).toEqual(['run-1']);
    } finally {
      await listener.close();
    }
  });

  it('an enqueue in a rolled-back transaction sends nothing; a committed one sends its notification at commit', async () => {
    const queue: PgBossRunQueue = await openPgBossQueue(db, { supervise: false, log: () => {} });
    let enqueued = 0;
    const listener = await startPgListener({ url, channels: { [RUNS_ENQUEUED]: () => (enqueued += 1) }, log: () => {} });
    try {
      const ownerId = (await createTestUser(db, 'notify-rollback')).id;
      const flowId = await storeFlow(db, ownerId, flowDoc([{ id: 'trig', type: 'manual.trigger' }]));
      const request = { ownerId, flowId, flowVersion: 1, trigger: {}, triggerKind: 'manual.trigger' };

      const rolledBack = withTransaction(db, async (tx) => {
        await enqueueRuns(tx, [request], queue);
        // Inside the transaction: nothing delivered yet.
        await new Promise((r) => setTimeout(r, 100));
        expect(enqueued).toBe(0);
        throw new Error('roll back');
      });
      await expect(rolledBack).rejects.toThrow('roll back');

      // Notifications come in commit order: had the rollback sent one, it would arrive first.
      await withTransaction(db, async (tx) => {
        await enqueueRuns(tx, [request, request], queue);
        await new Promise((r) => setTimeout(r, 100));
        expect(enqueued).toBe(0);
      });
      await until(() => enqueued > 0);
      await new Promise((r) => setTimeout(r, 100));
      // One per transaction (PostgreSQL folds identical notifications of one transaction).
      expect(enqueued).toBe(1);
    } finally {
      await listener.close();
      await queue.close();
    }
  });

  it('reconnects after its connection is terminated and hears the next notification', async () => {
    const heard: string[] = [];
    let listening = 0;
    const logs: string[] = [];
    const listener: PgListener = await startPgListener({
      url,
      channels: { [RUN_CHANGED]: (p) => heard.push(p) },
      onListening: () => (listening += 1),
      log: (m) => logs.push(m),
      minBackoffMs: 20,
    });
    try {
      const first = listener.backendPid!;
      expect(listening).toBe(1);
      const killed = await sql<{ ok: boolean }>`SELECT pg_terminate_backend(${first}::int) AS ok`.execute(db.db);
      expect(killed.rows[0]!.ok).toBe(true);
      await until(() => listener.backendPid !== undefined && listener.backendPid !== first);
      expect(listening).toBe(2);

      await sql`SELECT pg_notify(${RUN_CHANGED}, 'after-reconnect')`.execute(db.db);
      await until(() => heard.length > 0);
      expect(heard).toEqual(['after-reconnect']);
      // Logged by name, never with the URL (which holds the password).
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.join('\n')).not.toContain(url);
    } finally {
      await listener.close();
    }
  });

  describe('a web runtime here, a worker runtime in a child process', () => {
    let worker: ChildProcessWithoutNullStreams | undefined;
    let web: Awaited<ReturnType<typeof startRuntime>> | undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'dfd-pg-notify-'));

    beforeAll(async () => {
      web = await startRuntime(db, {
        config: runtimeConfig({ QUEUE: 'pg-boss', DATABASE_URL: url, RUNTIME: 'web' }),
        databaseUrl: url,
        log: () => {},
      });
      const child = spawn(process.execPath, ['--import', 'tsx', 'lib/flows/runtime/worker-main.ts'], {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'test',
          DATABASE_URL: url,
          DATA_DIR: dataDir,
          APP_ENCRYPTION_KEY: ENCRYPTION_KEY,
          QUEUE: 'pg-boss',
          RUN_WORKERS: '4',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      worker = child;
      let out = '';
      await new Promise<void>((ready, fail) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (/^flow worker \S+: postgres /m.test(out)) ready();
        });
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', () => fail(new Error(`worker exited: ${out}`)));
      });
    }, 60_000);
    afterAll(async () => {
      if (worker && worker.exitCode === null) {
        const exited = new Promise((r) => worker!.once('exit', r));
        worker.kill('SIGTERM');
        await exited;
      }
      await web?.stop(1_000);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('a run enqueued here is executed there and its end heard here at once (the fallback poll is 5 s)', async () => {
      const ownerId = (await createTestUser(db, 'notify-changes')).id;
      const flowId = await storeFlow(
        db,
        ownerId,
        flowDoc([
          { id: 'trig', type: 'manual.trigger' },
          { id: 'say', type: 'toolbox.log', inputs: { message: 'hi' } },
        ]),
      );
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        const [e] = await enqueueRuns(db, [{ ownerId, flowId, flowVersion: 1, trigger: { i }, triggerKind: 'manual.trigger' }]);
        const changes = runChanges(e!.runId);
        try {
          for (;;) {
            const row = await db.db.selectFrom('runs').select('status').where('id', '=', e!.runId).executeTakeFirstOrThrow();
            if (row.status === 'succeeded') break;
            expect(['queued', 'running']).toContain(row.status);
            expect(performance.now() - t0).toBeLessThan(4_000);
            await changes.next(5_000);
          }
        } finally {
          changes.close();
        }
        times.push(performance.now() - t0);
      }
      expect(median(times)).toBeLessThan(150);
    }, 60_000);

    it('invokeFlow answers with the Response saved by the worker well under the 200 ms re-read', async () => {
      const user = await createTestUser(db, 'notify-invoke');
      const { flow } = await createFlow(db, user.id, {
        name: 'Echo',
        document: flowDoc([
          { id: 'req', type: 'api.request', inputs: { method: 'POST' } },
          { id: 'setv', type: 'toolbox.set_variable', inputs: { variable: 'email', value: { expr: '$trigger.body.email' } } },
          { id: 'answer', type: 'api.response', inputs: { status: 200, body: { received: { expr: '$vars.email' } } } },
        ]),
      });
      const { invokeKey } = await startFlow({ db, ownerId: user.id }, flow.id);
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        const answer = await invokeFlow(db, {
          flowId: flow.id,
          method: 'POST',
          key: invokeKey,
          userId: undefined,
          body: { email: `lead${i}@example.test` },
          query: {},
          headers: {},
          idempotencyKey: undefined,
          chainDepth: 0,
          waitMs: 5_000,
        });
        times.push(performance.now() - t0);
        expect([answer.status, answer.body]).toEqual([200, { received: `lead${i}@example.test` }]);
      }
      expect(median(times)).toBeLessThan(150);
    }, 60_000);
  });
});
