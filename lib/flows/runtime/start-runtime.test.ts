import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, storeFlow, waitForRuns } from '@/test/support/flow-docs';
import { enqueueRuns } from './enqueue';
import { runtimeConfig } from './runtime-config';
import { startRuntime } from './start-runtime';

describe.each(DATABASE_KINDS)('startRuntime on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(() => db.close());

  it('embedded: executes runs, heartbeats for the shared limits, holds the trigger lease; stop leaves nothing behind', async () => {
    const ownerId = (await createTestUser(db, 'rt')).id;
    const flowId = await storeFlow(
      db,
      ownerId,
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        { id: 'say', type: 'toolbox.log', inputs: { message: { expr: '"hello " & $trigger.name' } } },
      ]),
    );
    const runtime = await startRuntime(db, { config: runtimeConfig({ RUN_WORKERS: '2' }), log: () => {} });
    try {
      const workers = await db.db.selectFrom('runtime_workers').select('id').execute();
      expect(workers.map((w) => w.id)).toContain(runtime.workerId);
      const [e] = await enqueueRuns(db, [{ ownerId, flowId, flowVersion: 1, trigger: { name: 'Ada' }, triggerKind: 'manual.trigger' }]);
      const [run] = await waitForRuns(db, [e!.runId]);
      expect(run!.status).toBe('succeeded');
      // The trigger loop's first tick (1 s) takes the single-owner lease.
      const deadline = Date.now() + 5_000;
      let holder: string | undefined;
      while (Date.now() < deadline && holder !== runtime.workerId) {
        holder = (await db.db.selectFrom('runtime_leases').select('holder').where('name', '=', 'triggers').executeTakeFirst())?.holder;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(holder).toBe(runtime.workerId);
    } finally {
      await runtime.stop(2_000);
    }
    const left = await db.db.selectFrom('runtime_workers').select('id').where('id', '=', runtime.workerId).execute();
    expect(left).toEqual([]);
  });

  it('web: serves requests only — runs stay queued for the workers', async () => {
    const ownerId = (await createTestUser(db, 'web')).id;
    const flowId = await storeFlow(db, ownerId, flowDoc([{ id: 'trig', type: 'manual.trigger' }]));
    const runtime = await startRuntime(db, { config: runtimeConfig({ RUNTIME: 'web' }), log: () => {} });
    try {
      expect(runtime.workers).toBeUndefined();
      const [e] = await enqueueRuns(db, [{ ownerId, flowId, flowVersion: 1, trigger: {}, triggerKind: 'manual.trigger' }]);
      await new Promise((r) => setTimeout(r, 500));
      const row = await db.db.selectFrom('runs').select('status').where('id', '=', e!.runId).executeTakeFirstOrThrow();
      expect(row.status).toBe('queued');
    } finally {
      await runtime.stop(1_000);
    }
  });
});
