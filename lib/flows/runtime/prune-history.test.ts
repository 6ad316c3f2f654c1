import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, storeFlow } from '@/test/support/flow-docs';
import { enqueueRuns } from './enqueue';
import { pruneRunHistory } from './prune-history';

const DAY = 86_400_000;

describe.each(DATABASE_KINDS)('pruneRunHistory on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(() => db.close());

  it('deletes runs (and their steps) that ended before the retention window, and nothing else', async () => {
    const ownerId = (await createTestUser(db, 'prune')).id;
    const flowId = await storeFlow(db, ownerId, flowDoc([{ id: 'trig', type: 'manual.trigger' }]));
    const now = Date.parse('2026-12-03T12:00:00Z');
    const runs = await enqueueRuns(
      db,
      Array.from({ length: 4 }, () => ({ ownerId, flowId, flowVersion: 1, trigger: {}, triggerKind: 'manual.trigger' })),
    );
    const [oldDone, oldFailed, recent, stillRunning] = runs.map((r) => r.runId) as [string, string, string, string];
    const ended = async (id: string, status: string, finishedAt: number | null) => {
      await db.db
        .updateTable('runs')
        .set({ status, finished_at: finishedAt === null ? null : new Date(finishedAt).toISOString() })
        .where('id', '=', id)
        .execute();
      await db.db
        .insertInto('run_steps')
        .values({ id: `s-${id}`, run_id: id, owner_id: ownerId, step_id: 'trig', attempt: 1, status: 'succeeded' })
        .execute();
    };
    await ended(oldDone, 'succeeded', now - 31 * DAY);
    await ended(oldFailed, 'failed', now - 40 * DAY);
    await ended(recent, 'succeeded', now - 29 * DAY);
    await ended(stillRunning, 'running', null);

    expect(await pruneRunHistory(db, { now, retentionMs: 30 * DAY })).toBe(2);
    const left = await db.db.selectFrom('runs').select('id').where('flow_id', '=', flowId).execute();
    expect(left.map((r) => r.id).sort()).toEqual([recent, stillRunning].sort());
    const steps = await db.db.selectFrom('run_steps').select('run_id').where('owner_id', '=', ownerId).execute();
    expect(steps.map((s) => s.run_id).sort()).toEqual([recent, stillRunning].sort());
    expect(await pruneRunHistory(db, { now, retentionMs: 30 * DAY })).toBe(0);
  });
});
