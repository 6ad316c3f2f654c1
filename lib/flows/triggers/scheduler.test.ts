import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlow } from '@/lib/db/repositories/flows';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { fireDueSchedules } from './scheduler';

const doc = (inputs: unknown) => ({
  schemaVersion: 2,
  name: 'scheduled',
  nodes: [{ id: 'tSched', type: 'scheduler.schedule', typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs } }],
  edges: [],
});

describe.each(DATABASE_KINDS)('fireDueSchedules on %s', (kind) => {
  let db: TestDb;
  let ownerId: string;
  beforeAll(async () => {
    db = await openTestDb(kind);
    ownerId = (await createTestUser(db, 'sched')).id;
  });
  afterAll(() => db.close());

  async function startedFlow(inputs: unknown): Promise<string> {
    const { flow } = await createFlow(db, ownerId, { name: `s-${Math.random()}`, document: doc(inputs) });
    await db.db
      .updateTable('flows')
      .set({ status: 'active', published_version: 1, started_at: '2026-12-02T09:00:00.000Z' })
      .where('id', '=', flow.id)
      .execute();
    return flow.id;
  }
  const runsOf = (flowId: string) =>
    db.db
      .selectFrom('runs')
      .select(['dedupe_key', 'trigger_json', 'trigger_kind'])
      .where('flow_id', '=', flowId)
      .orderBy('created_at')
      .execute();

  it('interval: nothing on the first tick, one run when due, missed fires collapse into one, replays start nothing', async () => {
    const flowId = await startedFlow({ mode: 'interval', everySeconds: 300 });
    const at = (iso: string) => fireDueSchedules(db, { now: new Date(iso) });
    await at('2026-12-02T10:00:00Z'); // sets nextFireAt 10:05
    expect(await runsOf(flowId)).toEqual([]);
    await at('2026-12-02T10:04:59Z');
    expect(await runsOf(flowId)).toEqual([]);
    await at('2026-12-02T10:05:00Z');
    await at('2026-12-02T10:05:01Z'); // same fire: nothing new
    // Down from 10:06 to 10:27: fires 10:10…10:25 collapse into one run for 10:25.
    await at('2026-12-02T10:27:00Z');
    const runs = await runsOf(flowId);
    expect(runs.map((r) => r.dedupe_key)).toEqual(['schedule:2026-12-02T10:05:00.000Z', 'schedule:2026-12-02T10:25:00.000Z']);
    expect(JSON.parse(runs[1]!.trigger_json!)).toEqual({ firedAt: '2026-12-02T10:27:00.000Z', scheduledFor: '2026-12-02T10:25:00.000Z' });
    expect(runs[0]!.trigger_kind).toBe('scheduler.schedule');
  });

  it('cron in Europe/Paris across the spring-forward: one run per day', async () => {
    const flowId = await startedFlow({ mode: 'cron', cron: '30 2 * * *', timeZone: 'Europe/Paris' });
    for (const iso of ['2026-03-27T12:00:00Z', '2026-03-28T01:30:00Z', '2026-03-29T06:00:00Z', '2026-03-30T06:00:00Z']) {
      await fireDueSchedules(db, { now: new Date(iso) });
    }
    const keys = (await runsOf(flowId)).map((r) => r.dedupe_key);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toBe('schedule:2026-03-28T01:30:00.000Z');
    expect(keys[1]!.slice(9, 19)).toBe('2026-03-29');
    expect(keys[2]).toBe('schedule:2026-03-30T00:30:00.000Z');
  });
});
