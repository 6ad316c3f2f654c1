/**
 * The Dynamics event trigger poller end to end: real account rows (SQLite and PostgreSQL) read
 * through getClientForAccount, the account's sandbox organization over real HTTP, runs read back
 * from the runs table. Rows are written into the organization with chosen stamps (leadWriter), so
 * "before the start" and "same second" are exact rather than timing-dependent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAccount } from '@/lib/db/repositories/accounts';
import { getTriggerState } from '@/lib/db/repositories/trigger-state';
import { connectAccount, type AccountContext } from '@/lib/dynamics/accounts/account-service';
import type { SandboxCore } from '@/lib/dynamics/sandbox/sandbox-core';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { startSandbox, type TestSandbox } from '@/test/support/sandbox';
import { leadWriter, runsOf, startedDynamicsFlow, triggeredIds } from '@/test/support/trigger-flows';
import { pollDueFlows } from './dynamics-poller';
import { startTriggerLoop } from './trigger-loop';
import { recordFlowWrite } from './flow-writes';
import type { DynamicsPollState } from './poll-state';

let sandbox: TestSandbox;
const savedEnv = { ...process.env };

beforeAll(async () => {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64') } }));
  sandbox = await startSandbox();
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
  process.env.NEXTAUTH_URL = new URL(sandbox.service).origin;
});
afterAll(async () => {
  process.env = savedEnv;
  setProcessKeyring(undefined);
  await sandbox.close();
});

const S = 1000;
/** A start far from the organization's seed rows (stamped with the real clock), on a whole second. */
const T0 = Date.UTC(2031, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(DATABASE_KINDS)('pollDueFlows on %s with the sandbox', (kind) => {
  let db: TestDb;
  let ctx: AccountContext;
  let accountId: string;
  let org: SandboxCore;
  let leads: ReturnType<typeof leadWriter>;
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);

  async function owner(label: string) {
    const user = await createTestUser(db, label);
    const c: AccountContext = { db, ownerId: user.id, appOrigin: new URL(sandbox.service).origin };
    const account = await connectAccount(c, {
      method: 'password',
      serviceUrl: sandbox.service,
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
      username: 'sales@sandbox.local',
      password: 'sandbox',
      name: `Poller ${label}`,
    });
    // The test sandbox serves every account from its one organization (no per-user tenants).
    return { ctx: c, accountId: account.id, org: sandbox.sandbox.core };
  }

  beforeAll(async () => {
    db = await openTestDb(kind);
    ({ ctx, accountId, org } = await owner('poller'));
    leads = leadWriter(org);
  });
  afterAll(() => db.close());

  const flow = (
    event: string,
    inputs: Record<string, unknown>,
    startedAt = T0,
    account = accountId,
    ownerId = ctx.ownerId,
    table = 'lead',
  ) =>
    startedDynamicsFlow(db, ownerId, {
      type: `dynamics.${table}.${event}`,
      accountId: account,
      inputs: { intervalSeconds: 60, ...inputs },
      startedAt: iso(startedAt),
    });
  const stateOf = async (flowId: string, ownerId = ctx.ownerId) =>
    (await getTriggerState(db, ownerId, flowId, 'tEvent'))?.cursor as DynamicsPollState | undefined;
  const onlyTag = (tag: string) => ({ match: 'all', rules: [{ left: { column: 'subject' }, operator: 'starts_with', right: tag }] });

  it('New or updated: changes from the start on that match the conditions, each once; the interval is kept', async () => {
    const tag = `nu-${kind}-`;
    leads.create(`${tag}before`, T0 - 5 * S); // before the start: never counts
    const a = leads.create(`${tag}a`, T0 + 1 * S);
    const b = leads.create(`${tag}b`, T0 + 1 * S); // same second as a
    leads.create(`other-${kind}`, T0 + 2 * S); // does not match the conditions
    const flowId = await flow('new_or_updated', { conditions: onlyTag(tag) });
    const now = new Date();
    expect(await pollDueFlows(db, { now, log })).toMatchObject({ runsCreated: 2, failed: 0 });
    expect((await triggeredIds(db, flowId)).sort()).toEqual([a, b].sort());
    const [run] = await runsOf(db, flowId);
    expect(run!.trigger_kind).toBe('dynamics.lead.new_or_updated');
    expect(JSON.parse(run!.trigger_json!)).toMatchObject({ event: 'new', table: 'lead', record: { subject: expect.stringMatching(tag) } });

    // Not due before the interval: nothing is asked of Dataverse, nothing starts.
    leads.update(a, T0 + 10 * S, { jobtitle: 'changed' });
    expect(await pollDueFlows(db, { now: new Date(now.getTime() + 30 * S), log })).toMatchObject({ polled: 0 });
    expect(await runsOf(db, flowId)).toHaveLength(2);
    // Due: the update is one more run (an Updated change), the unchanged rows start nothing again.
    expect(await pollDueFlows(db, { now: new Date(now.getTime() + 61 * S), log })).toMatchObject({
      polled: 1,
      runsCreated: 1,
      replayed: 0,
    });
    const runs = await runsOf(db, flowId);
    expect(runs.map((r) => (JSON.parse(r.trigger_json!) as { event: string }).event).sort()).toEqual(['new', 'new', 'updated']);
    expect(new Set(runs.map((r) => r.dedupe_key)).size).toBe(3);
    expect(logs).toEqual([]);
  });

  it('Updated ignores new rows; New ignores updates', async () => {
    const tag = `u-${kind}-`;
    const updatedFlow = await flow('updated', { conditions: onlyTag(tag) });
    const newFlow = await flow('new', { conditions: onlyTag(tag) });
    const id = leads.create(`${tag}x`, T0 + 3 * S);
    leads.update(id, T0 + 20 * S, { jobtitle: 'promoted' });
    await pollDueFlows(db, { now: new Date(), log });
    expect((await runsOf(db, updatedFlow)).map((r) => (JSON.parse(r.trigger_json!) as { event: string }).event)).toEqual(['updated']);
    expect((await runsOf(db, newFlow)).map((r) => (JSON.parse(r.trigger_json!) as { event: string }).event)).toEqual(['new']);
  });

  it('ignoreOwnWrites (default): a change the flow wrote itself starts nothing; with it off, it starts a run', async () => {
    const tag = `own-${kind}-`;
    const ignoring = await flow('new_or_updated', { conditions: onlyTag(tag) });
    const notIgnoring = await flow('new_or_updated', { conditions: onlyTag(tag), ignoreOwnWrites: false });
    const mine = leads.create(`${tag}mine`, T0 + 30 * S);
    const theirs = leads.create(`${tag}theirs`, T0 + 30 * S);
    // Both flows "wrote" `mine` just after Dataverse stamped it (as the runtime records a write).
    for (const flowId of [ignoring, notIgnoring])
      await recordFlowWrite(db, { ownerId: ctx.ownerId, flowId, table: 'lead', recordId: mine, at: T0 + 30 * S + 400 });
    await pollDueFlows(db, { now: new Date(), log });
    expect(await triggeredIds(db, ignoring)).toEqual([theirs]);
    expect((await triggeredIds(db, notIgnoring)).sort()).toEqual([mine, theirs].sort());
  });

  it('New: an update soon after the creation (inside the overlap window) is not a second New', async () => {
    const tag = `new-${kind}-`;
    const flowId = await flow('new', { conditions: onlyTag(tag) });
    const id = leads.create(`${tag}x`, T0 + 33 * S);
    const now = Date.now();
    expect(await pollDueFlows(db, { now: new Date(now), log })).toMatchObject({ runsCreated: 1, replayed: 0 });
    leads.update(id, T0 + 35 * S, { jobtitle: 'edited' });
    expect(await pollDueFlows(db, { now: new Date(now + 61 * S), log })).toMatchObject({ runsCreated: 0, replayed: 0 });
    expect(await triggeredIds(db, flowId)).toEqual([id]);
  });

  it('Deleted with ignoreOwnWrites: a record the flow deleted itself starts nothing', async () => {
    const [mine, theirs] = [leads.create(`delown-${kind}-1`, T0 + 41 * S), leads.create(`delown-${kind}-2`, T0 + 41 * S)];
    const flowId = await flow('deleted', {});
    const now = Date.now();
    await pollDueFlows(db, { now: new Date(now), log });
    await recordFlowWrite(db, { ownerId: ctx.ownerId, flowId, table: 'lead', recordId: mine, at: Date.now() });
    leads.remove(mine);
    leads.remove(theirs);
    await pollDueFlows(db, { now: new Date(now + 61 * S), log });
    expect(await triggeredIds(db, flowId)).toEqual([theirs.toLowerCase()]);
  });

  it('Deleted through change tracking: the first poll starts tracking, each deletion is one run', async () => {
    const ids = [leads.create(`del-${kind}-1`, T0 + 40 * S), leads.create(`del-${kind}-2`, T0 + 40 * S)];
    const flowId = await flow('deleted', {});
    const now = Date.now();
    await pollDueFlows(db, { now: new Date(now), log });
    expect((await stateOf(flowId))?.cursor?.kind).toBe('delta');
    for (const id of ids) leads.remove(id);
    await pollDueFlows(db, { now: new Date(now + 61 * S), log });
    await pollDueFlows(db, { now: new Date(now + 122 * S), log });
    expect((await triggeredIds(db, flowId)).sort()).toEqual(ids.map((i) => i.toLowerCase()).sort());
    expect(JSON.parse((await runsOf(db, flowId))[0]!.trigger_json!)).toEqual({ event: 'deleted', table: 'lead', id: expect.any(String) });
  });

  it('Deleted: an expired change-tracking token starts tracking again instead of failing every poll', async () => {
    const flowId = await flow('deleted', {});
    const now = Date.now();
    await pollDueFlows(db, { now: new Date(now), log });
    const saved = org.store.maxTombstones;
    org.store.maxTombstones = 2; // the organization forgets old deletions: the flow's token is now too old
    try {
      for (let i = 0; i < 6; i++) leads.remove(leads.create(`expire-${kind}-${i}`, T0 + 42 * S));
    } finally {
      org.store.maxTombstones = saved;
    }
    logs.length = 0;
    expect(await pollDueFlows(db, { now: new Date(now + 61 * S), log })).toMatchObject({ failed: 0 });
    expect(logs).toEqual([expect.stringMatching(/change-tracking token expired; tracking again/)]);
    logs.length = 0;
    const later = leads.create(`expire-${kind}-later`, T0 + 43 * S);
    leads.remove(later);
    await pollDueFlows(db, { now: new Date(now + 122 * S), log });
    expect(await triggeredIds(db, flowId)).toEqual([later.toLowerCase()]);
    expect(logs).toEqual([]);
  });

  it('a stopped and restarted flow starts over from its new start: changes in between never count', async () => {
    const tag = `restart-${kind}-`;
    const first = leads.create(`${tag}1`, T0 + 50 * S);
    const flowId = await flow('new_or_updated', { conditions: onlyTag(tag) });
    await pollDueFlows(db, { now: new Date(), log });
    leads.create(`${tag}while-stopped`, T0 + 60 * S);
    const after = leads.create(`${tag}after`, T0 + 80 * S);
    await db.db
      .updateTable('flows')
      .set({ started_at: iso(T0 + 70 * S) })
      .where('id', '=', flowId)
      .execute();
    await pollDueFlows(db, { now: new Date(), log }); // the new start: due at once, whatever the old interval said
    expect((await triggeredIds(db, flowId)).sort()).toEqual([first, after].sort());
  });

  it('stopped mid-page (abort signal): nothing is committed or logged, and the next tick picks it up', async () => {
    const tag = `abort-${kind}-`;
    const flowId = await flow('new_or_updated', { conditions: onlyTag(tag) });
    const ids = [leads.create(`${tag}1`, T0 + 95 * S), leads.create(`${tag}2`, T0 + 96 * S)];
    org.faults.set([{ kind: 'delay', rate: 1, delayMs: 2_000, scope: 'api', path: tag }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    logs.length = 0;
    try {
      expect(await pollDueFlows(db, { now: new Date(), signal: controller.signal, log })).toMatchObject({ runsCreated: 0, failed: 0 });
    } finally {
      org.faults.clear();
    }
    expect(logs).toEqual([]);
    expect(await stateOf(flowId)).toBeUndefined();
    await pollDueFlows(db, { now: new Date(), log });
    expect((await triggeredIds(db, flowId)).sort()).toEqual([...ids].sort());
  });

  it('the trigger loop runs the poller (DEFAULT_TRIGGER_TASKS)', async () => {
    const tag = `loop-${kind}-`;
    const flowId = await flow('new_or_updated', { conditions: onlyTag(tag) });
    const id = leads.create(`${tag}1`, T0 + 97 * S);
    const loop = startTriggerLoop(db, { holder: `poller-test-${kind}`, tickMs: 20, log });
    try {
      for (let i = 0; i < 200 && (await runsOf(db, flowId)).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      await loop.stop();
    }
    expect(await triggeredIds(db, flowId)).toEqual([id]);
  });

  it('a failing account (needs reconnecting, throttled) is logged without secrets and retried later; other flows poll as usual', async () => {
    const tag = `fail-${kind}-`;
    const stale = await owner('stale');
    await updateAccount(db, stale.ctx.ownerId, stale.accountId, { status: 'needs_reconnect', statusReason: 'the password was changed' });
    const throttled = await owner('throttled');
    // Throttled: every query of the contacts table (its flow's) is answered 429; the leads flow is not.
    throttled.org.faults.set([{ kind: '429', rate: 1, retryAfterSeconds: 1, scope: 'api', path: '/contacts?' }]);
    const staleFlow = await flow('new_or_updated', {}, T0, stale.accountId, stale.ctx.ownerId);
    const throttledFlow = await flow('new_or_updated', {}, T0, throttled.accountId, throttled.ctx.ownerId, 'contact');
    const goodFlow = await flow('new_or_updated', { conditions: onlyTag(tag) });
    const good = leads.create(`${tag}good`, T0 + 90 * S);
    logs.length = 0;
    const now = new Date();
    const result = await pollDueFlows(db, { now, log });
    throttled.org.faults.clear();
    expect(result.failed).toBe(2);
    expect(await triggeredIds(db, goodFlow)).toEqual([good]);
    expect(logs).toHaveLength(2);
    expect(logs.join('\n')).toMatch(/needs reconnecting/);
    expect(logs.join('\n')).toMatch(/429/);
    for (const secret of ['sandbox-secret', 'Bearer', 'password=']) expect(logs.join('\n')).not.toContain(secret);
    const staleState = await stateOf(staleFlow, stale.ctx.ownerId);
    expect(staleState?.lastError?.message).toMatch(/needs reconnecting/);
    expect(Date.parse(staleState!.nextPollAt)).toBe(now.getTime() + 60 * S); // waits its interval
    expect((await stateOf(throttledFlow, throttled.ctx.ownerId))?.lastError?.name).toBe('DataverseError');
    // Fixed and due again: the throttled account's flow polls normally and keeps nothing of the error.
    await pollDueFlows(db, { now: new Date(now.getTime() + 61 * S), log });
    expect((await stateOf(throttledFlow, throttled.ctx.ownerId))?.lastError).toBeUndefined();
  });
});
