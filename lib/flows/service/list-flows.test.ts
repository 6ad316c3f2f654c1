/** listFlows: keyset paging in each sort order and direction, the `q` name search, and the dashboard's figures, on a real database of each kind. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '@/lib/db/repositories/accounts';
import { createRun, type RunStatus } from '@/lib/db/repositories/runs';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { createFlow } from './create-flow';
import { deleteFlow } from './delete-flow';
import { draftFactsOf } from './draft-facts';
import type { FlowServiceContext } from './flow-context';
import type { ListFlowsQuery } from './flow-requests';
import { listFlows } from './list-flows';
import { saveFlow } from './save-flow';
import { startFlow } from './start-flow';
import { stopFlow } from './stop-flow';

const document = { schemaVersion: 2, name: '', nodes: [], edges: [] };

describe.each(DATABASE_KINDS)('listFlows on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let stranger: FlowServiceContext;
  /** name → id, created in this order, with creation and modification times set apart. */
  const ids = new Map<string, string>();
  // created_at ascending in this order; updated_at in the reverse order.
  const names = ['beta', 'alpha', 'Gamma ray', 'delta 50%', 'delta_x', 'alpha'];

  beforeAll(async () => {
    db = await openTestDb(kind);
    owner = { db, ownerId: (await createTestUser(db, 'owner')).id };
    stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id };
    for (const [i, name] of names.entries()) {
      const flow = await createFlow(owner, { name, document });
      ids.set(i === 5 ? 'alpha#2' : name, flow.id);
      await db.db
        .updateTable('flows')
        .set({
          created_at: `2026-01-0${i + 1}T00:00:00.000Z`,
          updated_at: `2026-02-0${names.length - i}T00:00:00.000Z`,
        })
        .where('id', '=', flow.id)
        .execute();
    }
    await createFlow(stranger, { name: 'alpha of someone else', document });
  });
  afterAll(() => db.close());

  /** Every page, following nextCursor; the names seen and the page sizes. */
  async function allPages(query: ListFlowsQuery) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const page = await listFlows(owner, { ...query, cursor });
      pages.push(page.flows.map((f) => f.name));
      if (page.nextCursor === null) return pages;
      expect(page.nextCursor).toBe(page.flows[page.flows.length - 1]!.id);
      cursor = page.nextCursor;
    }
    throw new Error('paging did not end');
  }

  it('pages through the most recently modified first by default, every flow once', async () => {
    const pages = await allPages({ limit: 4 });
    expect(pages[0]).toEqual(['beta', 'alpha', 'Gamma ray', 'delta 50%']);
    expect(pages.flat()).toEqual(['beta', 'alpha', 'Gamma ray', 'delta 50%', 'delta_x', 'alpha']);
    // A full last page says it is the last: no cursor to an empty page.
    expect(await allPages({ limit: 3 })).toEqual([
      ['beta', 'alpha', 'Gamma ray'],
      ['delta 50%', 'delta_x', 'alpha'],
    ]);
    expect((await listFlows(owner, { limit: 6 })).nextCursor).toBeNull();
    const whole = await listFlows(owner, {});
    expect(whole.nextCursor).toBeNull();
    expect(whole.flows.map((f) => f.id)).toEqual([...ids.values()]);
  });

  it('sorts by creation, newest first, and by name A–Z with equal names kept apart by id', async () => {
    expect((await allPages({ sort: 'created', limit: 2 })).flat()).toEqual(['alpha', 'delta_x', 'delta 50%', 'Gamma ray', 'alpha', 'beta']);
    const byName = await allPages({ sort: 'name', limit: 1 });
    // Whatever the case: 'Gamma ray' after 'delta…', not before every lower-case name.
    expect(byName.flat()).toEqual(['alpha', 'alpha', 'beta', 'delta 50%', 'delta_x', 'Gamma ray']);
    const alphas = (await listFlows(owner, { sort: 'name', limit: 2 })).flows.map((f) => f.id);
    expect(alphas).toEqual([ids.get('alpha'), ids.get('alpha#2')].sort());
  });

  it('sorts each field the other way round when asked: Z–A, oldest created or modified first', async () => {
    expect((await allPages({ sort: 'name-desc', limit: 4 })).flat()).toEqual([
      'Gamma ray',
      'delta_x',
      'delta 50%',
      'beta',
      'alpha',
      'alpha',
    ]);
    expect((await allPages({ sort: 'name-asc', limit: 4 })).flat()).toEqual((await allPages({ sort: 'name' })).flat());
    expect((await allPages({ sort: 'created-asc', limit: 4 })).flat()).toEqual(names);
    expect((await allPages({ sort: 'created-desc', limit: 5 })).flat()).toEqual([...names].reverse());
    expect((await allPages({ sort: 'modified-asc', limit: 4 })).flat()).toEqual([...names].reverse());
    expect((await allPages({ sort: 'modified-desc', limit: 4 })).flat()).toEqual(names);
    // Equal names keep apart by id in either direction, so paging one at a time sees each once.
    const zToA = (await allPages({ sort: 'name-desc', limit: 1 })).flat();
    expect(zToA).toEqual(['Gamma ray', 'delta_x', 'delta 50%', 'beta', 'alpha', 'alpha']);
  });

  it('shows a dashboard row without the document or the invoke key', async () => {
    const { flows } = await listFlows(owner, { limit: 1 });
    expect(Object.keys(flows[0]!).sort()).toEqual(
      [
        'accounts',
        'createdAt',
        'currentVersion',
        'description',
        'hasUnpublishedChanges',
        'id',
        'last24h',
        'lastRun',
        'name',
        'problemCount',
        'publishedVersion',
        'startedAt',
        'state',
        'status',
        'trigger',
        'updatedAt',
      ].sort(),
    );
  });

  it('q finds names by case-insensitive substring, trimmed; its % and _ are plain characters', async () => {
    const search = async (q: string) => (await listFlows(owner, { q })).flows.map((f) => f.name).sort();
    expect(await search('ALP')).toEqual(['alpha', 'alpha']);
    expect(await search('  gamma ')).toEqual(['Gamma ray']);
    expect(await search('50%')).toEqual(['delta 50%']);
    expect(await search('%')).toEqual(['delta 50%']);
    expect(await search('_')).toEqual(['delta_x']);
    expect(await search('a_')).toEqual(['delta_x']);
    expect(await search('   ')).toHaveLength(6);
    expect(await search('nothing like it')).toEqual([]);
    // Searching and paging together.
    const pages = await allPages({ q: 'a', limit: 2, sort: 'name' });
    expect(pages.flat()).toHaveLength(6);
  });

  it("lists only the caller's flows; another owner's flow as a cursor gives nothing", async () => {
    const theirs = await listFlows(stranger, {});
    expect(theirs.flows.map((f) => f.name)).toEqual(['alpha of someone else']);
    expect((await listFlows(stranger, { cursor: ids.get('beta') })).flows).toEqual([]);
  });
});

const fixture = (name: string): { nodes: { params: Record<string, unknown> }[] } & Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/flows/v2/${name}.json`, import.meta.url), 'utf8')) as {
    nodes: { params: Record<string, unknown> }[];
  };

/** The dashboard's figures: state, problems, trigger, accounts, newest run and 24 hourly buckets, on each database. */
describe.each(DATABASE_KINDS)('listFlows dashboard figures on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let stranger: FlowServiceContext;
  // 12:30 UTC: the window is 13:00 the day before up to now, 24 buckets, the last one 12:00–13:00.
  const now = Date.parse('2026-03-10T12:30:00.000Z');
  const ids = { busy: '', quiet: '', broken: '', dynamics: '', running: '', stopped: '' };
  let newestRunId = '';
  let dynamicsDocument: unknown;

  async function addRun(flowId: string, createdAt: string, status: RunStatus, mode: 'live' | 'test' = 'live', ctx = owner) {
    const run = await createRun(db, ctx.ownerId, { flowId, flowVersion: 1, status });
    await db.db.updateTable('runs').set({ created_at: createdAt, mode }).where('id', '=', run!.id).execute();
    return run!.id;
  }

  beforeAll(async () => {
    db = await openTestDb(kind);
    owner = { db, ownerId: (await createTestUser(db, 'owner')).id };
    stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id };
    ids.busy = (await createFlow(owner, { name: 'busy', document: fixture('toolbox-log') })).id;
    ids.quiet = (await createFlow(owner, { name: 'quiet', document: fixture('toolbox-log') })).id;
    const broken = fixture('toolbox-log');
    broken.nodes[1]!.params.inputs = { level: 'info', message: { expr: '1 +' } };
    ids.broken = (await createFlow(owner, { name: 'broken', document: broken })).id;

    const account = (name: string) =>
      createAccount(db, owner.ownerId, {
        application: 'dynamics',
        name,
        serviceUrl: 'https://contoso.crm.dynamics.com',
        apiVersion: 'v9.2',
        identityEndpoint: 'https://login.microsoftonline.com/organizations',
        authMethod: 'password',
      });
    const sales = await account('Sales account');
    const stale = await account('Old account');
    const dynamics = fixture('dynamics-action-create');
    const step = dynamics.nodes[1]!;
    dynamics.nodes.push(
      { ...step, id: 'sAction00002', name: 'Create another', params: { ...step.params, accountId: stale.id } } as never,
      { ...step, id: 'sAction00003', name: 'Create a third', params: { ...step.params, accountId: '01JGONEACCOUNT0000000000AA' } } as never,
      { ...step, id: 'sAction00004', name: 'Create a fourth', params: { ...step.params, accountId: sales.id } } as never,
    );
    step.params.accountId = sales.id;
    ids.dynamics = (await createFlow(owner, { name: 'dynamics', document: dynamics })).id;
    dynamicsDocument = dynamics;
    // Creating validated the flow against its accounts, which cannot sign in here: set the statuses afterwards.
    await db.db.updateTable('accounts').set({ status: 'connected' }).where('id', '=', sales.id).execute();
    await db.db.updateTable('accounts').set({ status: 'needs_reconnect' }).where('id', '=', stale.id).execute();

    ids.running = (await createFlow(owner, { name: 'running', document: fixture('toolbox-log') })).id;
    await startFlow(owner, ids.running);
    ids.stopped = (await createFlow(owner, { name: 'stopped', document: fixture('toolbox-log') })).id;
    await startFlow(owner, ids.stopped);
    await stopFlow(owner, ids.stopped);

    await addRun(ids.busy, '2026-03-09T12:59:59.999Z', 'succeeded'); // before the window
    await addRun(ids.busy, '2026-03-09T13:00:00.000Z', 'succeeded'); // its first instant: bucket 0
    await addRun(ids.busy, '2026-03-10T09:15:00.000Z', 'failed'); // bucket 20
    await addRun(ids.busy, '2026-03-10T09:45:00.000Z', 'succeeded'); // bucket 20
    await addRun(ids.busy, '2026-03-10T09:50:00.000Z', 'failed', 'test'); // bucket 20, a test run counts too
    newestRunId = await addRun(ids.busy, '2026-03-10T12:10:00.000Z', 'running'); // bucket 23: a run, neither outcome yet
    await addRun(ids.running, '2026-03-08T10:00:00.000Z', 'failed'); // long ago: the newest run, none in the window
    // Someone else's runs never count.
    const theirs = await createFlow(stranger, { name: 'theirs', document: fixture('toolbox-log') });
    await addRun(theirs.id, '2026-03-10T09:15:00.000Z', 'failed', 'live', stranger);
  });
  afterAll(() => db.close());

  const byName = async () => new Map((await listFlows(owner, { sort: 'name' }, now)).flows.map((f) => [f.name, f]));
  const zeros = Array.from({ length: 24 }, () => 0);

  it('counts runs per hour over the last 24 hours, succeeded and failed apart, and names the newest run', async () => {
    const busy = (await byName()).get('busy')!;
    expect(busy.last24h).toMatchObject({ since: '2026-03-09T13:00:00.000Z', runs: 5, succeeded: 2, failed: 2 });
    const succeeded = [...zeros];
    succeeded[0] = 1;
    succeeded[20] = 1;
    const failed = [...zeros];
    failed[20] = 2;
    expect(busy.last24h.succeededByHour).toEqual(succeeded);
    expect(busy.last24h.failedByHour).toEqual(failed);
    expect(busy.lastRun).toEqual({
      id: newestRunId,
      status: 'running',
      mode: 'live',
      createdAt: '2026-03-10T12:10:00.000Z',
      finishedAt: null,
    });

    const quiet = (await byName()).get('quiet')!;
    expect(quiet.lastRun).toBeNull();
    expect(quiet.last24h).toMatchObject({ runs: 0, succeeded: 0, failed: 0, succeededByHour: zeros, failedByHour: zeros });

    const running = (await byName()).get('running')!;
    expect(running.lastRun).toMatchObject({ status: 'failed', createdAt: '2026-03-08T10:00:00.000Z' });
    expect(running.last24h.runs).toBe(0);
  });

  it('moves the window with the clock: an hour later, the first bucket has left it', async () => {
    const later = (await listFlows(owner, { sort: 'name' }, now + 3_600_000)).flows.find((f) => f.name === 'busy')!;
    expect(later.last24h).toMatchObject({ since: '2026-03-09T14:00:00.000Z', runs: 4, succeeded: 1, failed: 2 });
    expect(later.last24h.failedByHour[19]).toBe(2);
    expect(later.last24h.failedByHour[23]).toBe(0);
  });

  it('tells each state: a draft ready or with problems, running, stopped; and the trigger', async () => {
    const flows = await byName();
    expect(flows.get('quiet')).toMatchObject({ state: 'draft_ready', problemCount: 0, trigger: { type: 'manual.trigger' } });
    expect(flows.get('broken')).toMatchObject({ state: 'draft_problems', trigger: { type: 'manual.trigger' } });
    expect(flows.get('broken')!.problemCount).toBeGreaterThan(0);
    expect(flows.get('running')).toMatchObject({ state: 'running', status: 'active' });
    expect(flows.get('stopped')).toMatchObject({ state: 'stopped', status: 'stopped' });
  });

  it('follows the draft: a saved version with a problem shows it, the next without one clears it', async () => {
    const ctxFlow = await createFlow(owner, { name: 'changing', document: fixture('toolbox-log') });
    const state = async () => (await listFlows(owner, { q: 'changing' }, now)).flows[0]!;
    expect(await state()).toMatchObject({ state: 'draft_ready', problemCount: 0 });
    const broken = fixture('toolbox-log');
    broken.nodes[1]!.params.inputs = { level: 'info', message: { expr: '1 +' } };
    await saveFlow(owner, ctxFlow.id, { document: broken, baseVersion: 1 });
    expect(await state()).toMatchObject({ state: 'draft_problems', problemCount: 1, currentVersion: 2 });
    await saveFlow(owner, ctxFlow.id, { document: fixture('toolbox-log'), baseVersion: 2 });
    expect(await state()).toMatchObject({ state: 'draft_ready', problemCount: 0, currentVersion: 3 });
    await deleteFlow(owner, ctxFlow.id);
  });

  it('names the accounts a flow uses, once each; a gone account or one needing reconnection is a problem', async () => {
    const dynamics = (await byName()).get('dynamics')!;
    expect(dynamics.accounts).toEqual([
      { id: expect.any(String), name: 'Sales account', needsReconnect: false },
      { id: expect.any(String), name: 'Old account', needsReconnect: true },
      { id: '01JGONEACCOUNT0000000000AA', name: null, needsReconnect: false },
    ]);
    // One problem per step whose account is gone or needs reconnecting, beside the document's own.
    const own = draftFactsOf(JSON.stringify(dynamicsDocument)).problemCount;
    expect(dynamics).toMatchObject({ state: 'draft_problems', problemCount: own + 2 });
  });

  it('counts only the flows of the page, and a page of no flows asks nothing of the runs', async () => {
    const page = await listFlows(owner, { sort: 'name', limit: 1 }, now);
    expect(page.flows.map((f) => f.name)).toEqual(['broken']);
    expect((await listFlows(stranger, { q: 'nothing like it' }, now)).flows).toEqual([]);
    const theirs = (await listFlows(stranger, {}, now)).flows[0]!;
    expect(theirs.last24h).toMatchObject({ runs: 1, failed: 1 });
  });
});
