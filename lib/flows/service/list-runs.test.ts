/** listRuns: newest first, keyset paging, and the flow, status, mode and time filters, on a real database of each kind. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStatus } from '@/lib/db/repositories/runs';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { enqueueRuns } from '../runtime/enqueue';
import { createFlow } from './create-flow';
import type { FlowServiceContext } from './flow-context';
import { listRunsQuerySchema, type ListRunsQuery } from './flow-requests';
import { listRuns } from './list-runs';

const document = {
  schemaVersion: 2,
  name: 'runs',
  nodes: [{ id: 'tManual00001', type: 'manual.trigger', typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs: {} } }],
  edges: [],
};

interface Seed {
  label: string;
  flow: 'one' | 'two';
  createdAt: string;
  status: RunStatus;
  mode: 'live' | 'test';
}
// Two runs share a creation time: paging must keep them apart by id.
const seeds: Seed[] = [
  { label: 'r1', flow: 'one', createdAt: '2026-03-01T09:00:00.000Z', status: 'succeeded', mode: 'live' },
  { label: 'r2', flow: 'two', createdAt: '2026-03-01T10:00:00.000Z', status: 'failed', mode: 'live' },
  { label: 'r3', flow: 'one', createdAt: '2026-03-01T10:00:00.000Z', status: 'succeeded', mode: 'test' },
  { label: 'r4', flow: 'one', createdAt: '2026-03-01T11:00:00.000Z', status: 'queued', mode: 'live' },
  { label: 'r5', flow: 'two', createdAt: '2026-03-01T12:00:00.000Z', status: 'running', mode: 'test' },
];

describe.each(DATABASE_KINDS)('listRuns on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let stranger: FlowServiceContext;
  const flows = { one: '', two: '' };
  const label = new Map<string, string>(); // run id → label

  beforeAll(async () => {
    db = await openTestDb(kind);
    owner = { db, ownerId: (await createTestUser(db, 'owner')).id };
    stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id };
    flows.one = (await createFlow(owner, { name: 'one', document })).id;
    flows.two = (await createFlow(owner, { name: 'two', document })).id;
    for (const s of seeds) {
      const [run] = await enqueueRuns(db, [
        { ownerId: owner.ownerId, flowId: flows[s.flow], flowVersion: 1, trigger: null, triggerKind: 'manual.trigger', mode: s.mode },
      ]);
      label.set(run!.runId, s.label);
      await db.db.updateTable('runs').set({ created_at: s.createdAt, status: s.status }).where('id', '=', run!.runId).execute();
    }
    const theirs = await createFlow(stranger, { name: 'theirs', document });
    await enqueueRuns(db, [{ ownerId: stranger.ownerId, flowId: theirs.id, flowVersion: 1, trigger: null, triggerKind: 'manual.trigger' }]);
  });
  afterAll(() => db.close());

  const labels = (runs: { id: string }[]) => runs.map((r) => label.get(r.id) ?? 'someone else');
  /** The query as the route reads it from the URL, then every page following nextCursor. */
  async function allPages(query: Record<string, string>) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const parsed: ListRunsQuery = listRunsQuerySchema.parse({ ...query, ...(cursor ? { cursor } : {}) });
      const page = await listRuns(owner, parsed);
      pages.push(labels(page.runs));
      if (page.nextCursor === null) return pages;
      cursor = page.nextCursor;
    }
    throw new Error('paging did not end');
  }

  it('lists the caller’s runs newest first, every run once across pages, equal times kept apart', async () => {
    const all = await listRuns(owner, {});
    expect(all.nextCursor).toBeNull();
    // r3 and r2 were created at the same time: the later id (r3, enqueued after) comes first.
    expect(labels(all.runs)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
    const pages = await allPages({ limit: '2' });
    expect(pages.slice(0, 3)).toEqual([['r5', 'r4'], ['r3', 'r2'], ['r1']]);
    expect(pages.flat()).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
    // A full last page says it is the last: no cursor to an empty page.
    expect(await allPages({ limit: '5' })).toEqual([['r5', 'r4', 'r3', 'r2', 'r1']]);
    expect(await allPages({ mode: 'test', limit: '1' })).toEqual([['r5'], ['r3']]);
    expect(all.runs[0]).toMatchObject({
      flowId: flows.two,
      flowVersion: 1,
      mode: 'test',
      status: 'running',
      triggerKind: 'manual.trigger',
    });
  });

  it('filters by flow, status and mode, alone and together, and pages within the filter', async () => {
    expect((await allPages({ flowId: flows.one })).flat()).toEqual(['r4', 'r3', 'r1']);
    expect((await allPages({ status: 'succeeded' })).flat()).toEqual(['r3', 'r1']);
    expect((await allPages({ mode: 'test' })).flat()).toEqual(['r5', 'r3']);
    expect((await allPages({ flowId: flows.one, mode: 'live', limit: '1' })).flat()).toEqual(['r4', 'r1']);
    expect((await allPages({ flowId: flows.two, status: 'cancelled' })).flat()).toEqual([]);
  });

  it('from is inclusive and to exclusive, in any offset', async () => {
    expect((await allPages({ from: '2026-03-01T10:00:00Z' })).flat()).toEqual(['r5', 'r4', 'r3', 'r2']);
    expect((await allPages({ to: '2026-03-01T10:00:00Z' })).flat()).toEqual(['r1']);
    // 12:00+02:00 is 10:00 UTC and 13:00+02:00 is 11:00 UTC: compared as instants, not as text.
    expect((await allPages({ from: '2026-03-01T12:00:00+02:00', to: '2026-03-01T13:00:00+02:00' })).flat()).toEqual(['r3', 'r2']);
    expect((await allPages({ from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T12:00:00.000Z', status: 'succeeded' })).flat()).toEqual([
      'r3',
    ]);
  });

  it("never shows another owner's runs; their flow as a filter, or an unknown cursor, gives nothing", async () => {
    const theirs = await listRuns(stranger, {});
    expect(theirs.runs).toHaveLength(1);
    expect(labels(theirs.runs)).toEqual(['someone else']);
    expect((await listRuns(owner, { flowId: theirs.runs[0]!.flowId })).runs).toEqual([]);
    expect((await listRuns(owner, { cursor: theirs.runs[0]!.id })).runs).toEqual([]);
    expect((await listRuns(stranger, { flowId: flows.one })).runs).toEqual([]);
  });

  it('the query schema refuses what the filters cannot mean', () => {
    for (const bad of [
      { status: 'done' },
      { mode: 'dry' },
      { from: 'yesterday' },
      { limit: '0' },
      { limit: '501' },
      { flowId: 'x' },
      { page: '2' },
    ]) {
      expect(listRunsQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
