import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, storeFlow } from '@/test/support/flow-docs';
import { initialState } from '../engine/decide';
import { enqueueRuns } from './enqueue';
import { claimRun, saveProgress } from './run-store';

/** R3: 8 claimers, 10,000 runs — each run claimed by exactly one of them, none left behind. */
describe.each(DATABASE_KINDS)('claimRun on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(() => db.close());

  it('8 concurrent claimers over 10,000 runs: every run claimed once, by one claimer, on fence 1', async () => {
    const ownerId = (await createTestUser(db, 'claims')).id;
    const flowId = await storeFlow(db, ownerId, flowDoc([{ id: 'trig', type: 'manual.trigger' }]));
    const total = 10_000;
    for (let i = 0; i < total; i += 500) {
      await enqueueRuns(
        db,
        Array.from({ length: Math.min(500, total - i) }, () => ({
          ownerId,
          flowId,
          flowVersion: 1,
          trigger: {},
          triggerKind: 'manual.trigger',
        })),
      );
    }
    const claims: { runId: string; claimer: number; fence: number }[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, claimer) => {
        for (;;) {
          const run = await claimRun(db, `claimer-${claimer}`, 60_000, Date.now());
          if (!run) return;
          claims.push({ runId: run.id, claimer, fence: run.fence });
          const at = Date.now();
          const done = await saveProgress(db, run, {
            state: { ...initialState(at), status: 'succeeded', finishedAt: at },
            steps: [],
            finish: { status: 'succeeded', at },
          });
          expect(done).toBe(true);
        }
      }),
    );
    expect(claims).toHaveLength(total);
    expect(new Set(claims.map((c) => c.runId)).size).toBe(total);
    expect(claims.every((c) => c.fence === 1)).toBe(true);
    // Work was spread: every claimer got some.
    expect(new Set(claims.map((c) => c.claimer)).size).toBe(8);
    const left = await db.db
      .selectFrom('runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('flow_id', '=', flowId)
      .where('status', '!=', 'succeeded')
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  }, 120_000);

  it('a claim on an expired lease moves the fence: the old holder can save nothing more', async () => {
    const ownerId = (await createTestUser(db, 'fence')).id;
    const flowId = await storeFlow(db, ownerId, flowDoc([{ id: 'trig', type: 'manual.trigger' }]));
    const [e] = await enqueueRuns(db, [{ ownerId, flowId, flowVersion: 1, trigger: {}, triggerKind: 'manual.trigger' }]);
    const t = Date.now();
    const first = (await claimRun(db, 'old', 1_000, t, e!.runId))!;
    expect(await claimRun(db, 'other', 1_000, t + 500, e!.runId)).toBeUndefined(); // lease still held
    const second = (await claimRun(db, 'new', 1_000, t + 1_001, e!.runId))!;
    expect(second.fence).toBe(first.fence + 1);
    const state = initialState(t);
    expect(await saveProgress(db, first, { state, steps: [] })).toBe(false);
    expect(await saveProgress(db, second, { state, steps: [] })).toBe(true);
  });
});
