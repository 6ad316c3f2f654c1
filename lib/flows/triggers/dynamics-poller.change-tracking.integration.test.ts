/**
 * The Dynamics event trigger on tables with change tracking (leads: ChangeTrackingEnabled in the
 * sandbox, as in Dataverse) and without (currencies), end to end: real account rows (SQLite and
 * PostgreSQL), the sandbox over real HTTP, runs read back from the runs table, and the sandbox's
 * request log for what was asked of Dataverse (Prefer: odata.track-changes, $deltatoken, $filter).
 * Rows are written into the organization with chosen stamps that only move forward, as Dataverse's
 * clock does, so New vs Updated and "before the start" are exact.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getTriggerState, putTriggerState } from '@/lib/db/repositories/trigger-state';
import { connectAccount, type AccountContext } from '@/lib/dynamics/accounts/account-service';
import type { LoggedRequest } from '@/lib/dynamics/sandbox/request-log';
import type { SandboxCore } from '@/lib/dynamics/sandbox/sandbox-core';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { appSandboxForTests } from '@/test/support/app-sandbox';
import { leadWriter, rowWriter, runsOf, startedDynamicsFlow, triggeredIds } from '@/test/support/trigger-flows';
import { pollDueFlows } from './dynamics-poller';
import { recordFlowWrite } from './flow-writes';
import type { DynamicsPollState } from './poll-state';

const app = appSandboxForTests(6);

const S = 1000;
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(DATABASE_KINDS)('change tracking in pollDueFlows on %s', (kind) => {
  let db: TestDb;
  let ctx: AccountContext;
  let accountId: string;
  let org: SandboxCore;
  let leads: ReturnType<typeof leadWriter>;
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  // The organization's clock, far from the seed rows and a year apart per database: it only moves forward.
  let clock = Date.UTC(2033 + DATABASE_KINDS.indexOf(kind), 0, 1, 12, 0, 0);
  const tick = (seconds = 1) => (clock += seconds * S);
  // The poller's own clock: each poll a little more than the interval later, so every flow is due.
  let pollClock = Date.now();
  const pollNow = async () => {
    pollClock += 61 * S;
    return pollDueFlows(db, { now: new Date(pollClock), log });
  };

  beforeAll(async () => {
    db = await openTestDb(kind);
    const user = await createTestUser(db, `ct-${kind}`);
    ctx = { db, ownerId: user.id, appOrigin: new URL(app.sandbox.service).origin };
    const account = await connectAccount(ctx, {
      method: 'password',
      serviceUrl: app.sandbox.service,
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
      username: 'sales@sandbox.local',
      password: 'sandbox',
      name: 'Change tracking',
    });
    accountId = account.id;
    org = app.sandbox.sandbox.core;
    leads = leadWriter(org);
  });
  afterAll(() => db.close());
  // Each test's flows are stopped after it, so a poll (and the request log) holds only the current test's.
  afterEach(async () => {
    await db.db.updateTable('flows').set({ status: 'stopped' }).where('owner_id', '=', ctx.ownerId).execute();
    logs.length = 0;
  });

  const flow = (event: string, inputs: Record<string, unknown>, table = 'lead') =>
    startedDynamicsFlow(db, ctx.ownerId, {
      type: `dynamics.${table}.${event}`,
      accountId,
      inputs: { intervalSeconds: 60, ...inputs },
      startedAt: iso(tick()),
    });
  const cursorOf = async (flowId: string) =>
    ((await getTriggerState(db, ctx.ownerId, flowId, 'tEvent'))?.cursor as DynamicsPollState).cursor;
  const onlyTag = (tag: string, column = 'subject') => ({
    match: 'all',
    rules: [{ left: { column }, operator: 'starts_with', right: tag }],
  });
  const eventsOf = async (flowId: string) =>
    Object.fromEntries(
      (await runsOf(db, flowId)).map((r) => {
        const t = JSON.parse(r.trigger_json!) as { id: string; event: string };
        return [t.id.toLowerCase(), t.event];
      }),
    );
  /** The Web API requests a poll made to an entity set, URL-decoded. */
  async function requestsDuring<T>(entitySet: string, poll: () => Promise<T>): Promise<{ result: T; requests: LoggedRequest[] }> {
    const since = org.log.query({}).last;
    const result = await poll();
    const requests = org.log.query({ since, path: `/${entitySet}?` }).value.map((r) => ({ ...r, path: decodeURIComponent(r.path) }));
    return { result, requests };
  }
  const tracksChanges = (r: LoggedRequest) => /odata\.track-changes/.test(r.headers.prefer ?? '');

  it('a tracked table: the first poll takes the baseline and catches up from the start; later polls read the delta without $filter', async () => {
    const tag = `ct1-${kind}-`;
    const before = leads.create(`${tag}before`, tick()); // exists before the start: never counts
    const flowId = await flow('new_or_updated', { conditions: onlyTag(tag) });
    const early = leads.create(`${tag}early`, tick()); // after the start, before the first poll: counts
    const first = await requestsDuring('leads', pollNow);
    expect(first.result).toMatchObject({ polled: 1, runsCreated: 1, failed: 0 });
    expect(await eventsOf(flowId)).toEqual({ [early.toLowerCase()]: 'new' });
    // The baseline: track-changes, no token, no $filter (Dataverse refuses it); then the catch-up by stamps.
    const baseline = first.requests.filter((r) => tracksChanges(r) && !r.path.includes('$deltatoken='));
    expect(baseline).toHaveLength(1);
    expect(baseline[0]!.path).not.toContain('$filter');
    expect(first.requests.some((r) => r.path.includes('$filter=') && r.path.includes('modifiedon ge'))).toBe(true);

    const fresh = leads.create(`${tag}fresh`, tick());
    leads.update(before, tick(), { jobtitle: 'changed' });
    leads.create(`other-${kind}`, tick()); // does not match the conditions
    const second = await requestsDuring('leads', pollNow);
    expect(second.result).toMatchObject({ polled: 1, runsCreated: 2, replayed: 0, failed: 0 });
    expect(await eventsOf(flowId)).toEqual({
      [early.toLowerCase()]: 'new',
      [fresh.toLowerCase()]: 'new',
      [before.toLowerCase()]: 'updated',
    });
    // Catch-up done: one delta query, with the token and the Prefer header, and no $filter.
    expect(second.requests).toHaveLength(1);
    expect(second.requests[0]!.path).toMatch(/\$deltatoken=\d+!/);
    expect(second.requests[0]!.path).not.toContain('$filter');
    expect(tracksChanges(second.requests[0]!)).toBe(true);
    const cursor = await cursorOf(flowId);
    expect(cursor).toMatchObject({ kind: 'tracked' });
    expect(cursor).not.toHaveProperty('catchUp');
    // Nothing changed: the next delta is empty and starts nothing.
    expect(await pollNow()).toMatchObject({ runsCreated: 0, replayed: 0 });
    expect(logs).toEqual([]);
  });

  it('New vs Updated: New sees each creation once, Updated each change to an existing row', async () => {
    const tag = `ct2-${kind}-`;
    const existing = leads.create(`${tag}existing`, tick());
    const newFlow = await flow('new', { conditions: onlyTag(tag) });
    const updatedFlow = await flow('updated', { conditions: onlyTag(tag) });
    const bothFlow = await flow('new_or_updated', { conditions: onlyTag(tag) });
    await pollNow(); // baselines
    const x = leads.create(`${tag}x`, tick());
    const z = leads.create(`${tag}z`, tick());
    leads.update(z, tick(5), { jobtitle: 'edited soon after' }); // created and changed between two polls
    leads.update(existing, tick(), { jobtitle: 'promoted' });
    const sameSecond = leads.create(`${tag}same`, clock); // created in the newest second seen so far
    await pollNow();
    expect(await eventsOf(newFlow)).toEqual({ [x.toLowerCase()]: 'new', [z.toLowerCase()]: 'new', [sameSecond.toLowerCase()]: 'new' });
    expect(await eventsOf(updatedFlow)).toEqual({ [z.toLowerCase()]: 'updated', [existing.toLowerCase()]: 'updated' });
    expect(await eventsOf(bothFlow)).toEqual({
      [x.toLowerCase()]: 'new',
      [z.toLowerCase()]: 'updated',
      [existing.toLowerCase()]: 'updated',
      [sameSecond.toLowerCase()]: 'new',
    });
    // The horizon's own second (stamps have second precision): a row the last round saw created in it
    // and changed again in it is an update; a row created in it after the token is new.
    leads.update(sameSecond, clock, { jobtitle: 'same second again' });
    const tie = leads.create(`${tag}tie`, clock);
    await pollNow();
    expect(await eventsOf(newFlow)).toEqual({
      [x.toLowerCase()]: 'new',
      [z.toLowerCase()]: 'new',
      [sameSecond.toLowerCase()]: 'new',
      [tie.toLowerCase()]: 'new',
    });
    expect(await eventsOf(updatedFlow)).toEqual({
      [z.toLowerCase()]: 'updated',
      [existing.toLowerCase()]: 'updated',
      [sameSecond.toLowerCase()]: 'updated',
    });
    const both = (await runsOf(db, bothFlow)).map((r) => JSON.parse(r.trigger_json!) as { id: string; event: string });
    expect(both.map((r) => `${r.id.toLowerCase()}:${r.event}`).sort()).toEqual(
      [`${x}:new`, `${z}:updated`, `${existing}:updated`, `${sameSecond}:new`, `${sameSecond}:updated`, `${tie}:new`]
        .map((k) => k.toLowerCase())
        .sort(),
    );
    expect(logs).toEqual([]);
  });

  it("the trigger's conditions are judged on the delta's rows, as Dataverse compares (case-insensitive)", async () => {
    const tag = `CT3-${kind}-`;
    const flowId = await flow('new_or_updated', {
      conditions: {
        match: 'all',
        rules: [
          { left: { column: 'subject' }, operator: 'starts_with', right: tag },
          { left: { column: 'jobtitle' }, operator: 'eq', right: 'Buyer' },
        ],
      },
      columns: ['subject'],
    });
    await pollNow();
    const yes = leads.create(`${tag.toLowerCase()}yes`, tick());
    leads.update(yes, tick(), { jobtitle: 'BUYER' });
    const wrongTitle = leads.create(`${tag}no-title`, tick());
    leads.update(wrongTitle, tick(), { jobtitle: 'Seller' });
    const wrongSubject = leads.create(`x${tag}`, tick());
    leads.update(wrongSubject, tick(), { jobtitle: 'Buyer' });
    const { requests } = await requestsDuring('leads', pollNow);
    expect(await triggeredIds(db, flowId)).toEqual([yes.toLowerCase()]);
    // Only the columns asked for, the stamps, the version and what the conditions read.
    expect(requests[0]!.path).toMatch(/\$select=[^&]*jobtitle/);
    expect(requests[0]!.path).not.toContain('$filter');
    const [run] = await runsOf(db, flowId);
    expect(JSON.parse(run!.trigger_json!)).toMatchObject({
      record: { subject: `${tag.toLowerCase()}yes`, versionnumber: expect.any(Number) },
    });
  });

  it('ignoreOwnWrites (default) on a tracked table: a change the flow wrote itself starts nothing', async () => {
    const tag = `ct4-${kind}-`;
    const ignoring = await flow('new_or_updated', { conditions: onlyTag(tag) });
    const notIgnoring = await flow('new_or_updated', { conditions: onlyTag(tag), ignoreOwnWrites: false });
    await pollNow();
    const mine = leads.create(`${tag}mine`, tick());
    const theirs = leads.create(`${tag}theirs`, clock);
    for (const flowId of [ignoring, notIgnoring])
      await recordFlowWrite(db, { ownerId: ctx.ownerId, flowId, table: 'lead', recordId: mine, at: clock + 400 });
    await pollNow();
    expect(await triggeredIds(db, ignoring)).toEqual([theirs.toLowerCase()]);
    expect((await triggeredIds(db, notIgnoring)).sort()).toEqual([mine, theirs].map((i) => i.toLowerCase()).sort());
  });

  it('an expired delta token: logged, tracking starts again, and the changes meanwhile come by stamps, once', async () => {
    const tag = `ct5-${kind}-`;
    const flowId = await flow('new_or_updated', { conditions: onlyTag(tag) });
    await pollNow();
    const a = leads.create(`${tag}a`, tick());
    expect(await pollNow()).toMatchObject({ runsCreated: 1 });
    const saved = org.store.maxTombstones;
    org.store.maxTombstones = 2; // the organization forgets old changes: the flow's token is now too old
    try {
      for (let i = 0; i < 6; i++) leads.remove(leads.create(`expire-${kind}-${i}`, tick()));
    } finally {
      org.store.maxTombstones = saved;
    }
    const b = leads.create(`${tag}b`, tick());
    leads.update(a, tick(), { jobtitle: 'changed while expired' });
    logs.length = 0;
    const recovered = await requestsDuring('leads', pollNow);
    expect(recovered.result).toMatchObject({ failed: 0, runsCreated: 2, replayed: 0 });
    expect(logs).toEqual([expect.stringMatching(/change-tracking token of lead expired; tracking again.*caught up by modifiedon/)]);
    expect(recovered.requests.filter((r) => tracksChanges(r) && !r.path.includes('$deltatoken='))).toHaveLength(1); // a new baseline
    const runs = await runsOf(db, flowId);
    expect(runs.map((r) => (JSON.parse(r.trigger_json!) as { id: string; event: string }).event).sort()).toEqual(['new', 'new', 'updated']);
    expect(new Set(runs.map((r) => r.dedupe_key)).size).toBe(3);
    expect(await triggeredIds(db, flowId)).toEqual(expect.arrayContaining([a.toLowerCase(), b.toLowerCase()]));
    // Back on the delta: the next change comes with the new token.
    logs.length = 0;
    const c = leads.create(`${tag}c`, tick());
    const next = await requestsDuring('leads', pollNow);
    expect(next.result).toMatchObject({ runsCreated: 1, replayed: 0 });
    expect(next.requests.map((r) => r.path)).toEqual([expect.stringMatching(/\$deltatoken=/)]);
    expect(await triggeredIds(db, flowId)).toContain(c.toLowerCase());
    expect(logs).toEqual([]);
  });

  it('a stamp cursor stored before change tracking was used is handed over: nothing missed, nothing repeated', async () => {
    const tag = `ct6-${kind}-`;
    const flowId = await flow('new_or_updated', { conditions: onlyTag(tag) });
    const { started_at: startedAt } = await db.db
      .selectFrom('flows')
      .select('started_at')
      .where('id', '=', flowId)
      .executeTakeFirstOrThrow();
    // What the poller before change tracking stored after emitting m1 (its run exists): a stamp cursor.
    const m1 = leads.create(`${tag}m1`, tick());
    const version = Number(org.store.get('lead', m1)!.versionnumber);
    const stamp = iso(clock).replace('.000Z', 'Z');
    const old: DynamicsPollState = {
      v: 1,
      type: 'dynamics.lead.new_or_updated',
      startedAt,
      cursor: { kind: 'timestamp', watermark: stamp, seen: { [`${m1.toLowerCase()}|${version}`]: stamp } },
      nextPollAt: iso(pollClock),
    };
    await putTriggerState(db, ctx.ownerId, flowId, 'tEvent', old);
    // Changes after the old poll, before the new code's first poll.
    const m2 = leads.create(`${tag}m2`, tick());
    leads.update(m1, tick(), { jobtitle: 'after the old poll' });
    expect(await pollNow()).toMatchObject({ runsCreated: 2, replayed: 0, failed: 0 });
    expect(await eventsOf(flowId)).toEqual({ [m2.toLowerCase()]: 'new', [m1.toLowerCase()]: 'updated' });
    expect(await cursorOf(flowId)).toMatchObject({ kind: 'tracked' });
    const m3 = leads.create(`${tag}m3`, tick());
    const { result, requests } = await requestsDuring('leads', pollNow);
    expect(result).toMatchObject({ runsCreated: 1, replayed: 0 });
    expect(requests.map((r) => r.path)).toEqual([expect.stringMatching(/\$deltatoken=/)]);
    expect(await eventsOf(flowId)).toMatchObject({ [m3.toLowerCase()]: 'new' });
    expect(logs).toEqual([]);
  });

  it('a table without change tracking (currencies) keeps the (modifiedon, id) cursor with $filter', async () => {
    const currencies = rowWriter(org, 'transactioncurrency');
    const tag = `ct7-${kind}-`;
    const flowId = await flow('new_or_updated', { conditions: onlyTag(tag, 'currencyname') }, 'transactioncurrency');
    const first = currencies.create(`${tag}1`, tick());
    await pollNow();
    currencies.update(first, tick(), { currencysymbol: '¤' });
    const second = currencies.create(`${tag}2`, tick());
    const { result, requests } = await requestsDuring('transactioncurrencies', pollNow);
    expect(result).toMatchObject({ runsCreated: 2, replayed: 0, failed: 0 });
    expect(await eventsOf(flowId)).toEqual({ [first.toLowerCase()]: 'updated', [second.toLowerCase()]: 'new' });
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) {
      expect(r.path).toMatch(/\$filter=.*modifiedon ge .*startswith\(currencyname/);
      expect(r.path).not.toContain('$deltatoken');
      expect(tracksChanges(r)).toBe(false);
    }
    expect(await cursorOf(flowId)).toMatchObject({ kind: 'timestamp' });
    expect(logs).toEqual([]);
  });
});
