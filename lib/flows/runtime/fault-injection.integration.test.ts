/**
 * R4 (conventions-and-quality.md), fault injection through the runtime: 1,000 runs of create a
 * contact → update it → Set variable (2 Dataverse calls each) executed by the run workers
 * (startRunWorkers, the real executor and Dataverse client) on SQLite, while the sandbox answers
 * 5 % of Web API calls 429 with Retry-After 1 or 2 s, 2 % 503, and drops the connection on 1 %.
 * The runs are spread over 8 Dataverse users (one account each): Dataverse, the sandbox and the
 * client keep service protection per user, and one user alone spends ~1.5 s behind its gate for
 * every 20 calls, so 2,000 calls of one user would take minutes.
 * Then: 0 lost runs (every one succeeded), 0 duplicate records, at most 4 retries (5 tries) per
 * call, and no request of a user reached the sandbox while a Retry-After it had been given was
 * running. Every request is read off a wire tap in front of the sandbox (runtime-fixtures.ts).
 *
 * The step policy allows 5 tries, which is R4's "retry count ≤ 4": with 7.8 % of tries faulted, 4
 * tries leave one of 2,000 calls failing in about 7 % of test runs (0.078⁴ × 2,000), 5 tries in
 * about 0.6 %.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { setFaults } from '@/test/support/client-fixtures';
import { createTestUser, openTestDb, type TestDb } from '@/test/support/db';
import { storeFlow, waitForRuns } from '@/test/support/flow-docs';
import {
  addSandboxPrincipal,
  connectSandboxAccount,
  contactFlow,
  contactsTagged,
  groupBy,
  observeClientRequests,
  tapSandbox,
  type WireEntry,
  type WireTap,
} from '@/test/support/runtime-fixtures';
import { startSandbox, type TestSandbox } from '@/test/support/sandbox';
import { createExpressionEvaluator } from '../expressions/evaluator';
import { enqueueRuns, type RunRequest } from './enqueue';
import { startRunWorkers } from './run-workers';

const RUNS = 1_000;
const USERS = 8;
const MAX_TRIES = 5;
/**
 * The client closes a user's gate in the continuation of reading the 429 (microtasks of the same
 * turn of the event loop); a request of that user created later than this after the answer was
 * read, and before its Retry-After ran out, went through a closed gate.
 */
const GATE_SLACK_MS = 20;

const isCreate = (e: WireEntry) => e.method === 'POST' && e.path.startsWith('/api/data/v9.2/contacts');
const isUpdate = (e: WireEntry) => e.method === 'PATCH' && e.path.startsWith('/api/data/v9.2/contacts(');

describe('R4 on SQLite: 1,000 runs through 429, 503 and dropped connections', () => {
  let sandbox: TestSandbox;
  let tap: WireTap;
  let db: TestDb;
  let ownerId: string;
  const accounts: { id: string; username: string }[] = [];
  const principals: { remove(): void }[] = [];
  const evaluator = createExpressionEvaluator({ workers: 2 });
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 4).toString('base64') } }));
    sandbox = await startSandbox();
    process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
    process.env.NEXTAUTH_URL = new URL(sandbox.service).origin;
    db = await openTestDb('sqlite');
    ownerId = (await createTestUser(db, 'r4')).id;
    for (let i = 0; i < USERS; i++) {
      const username = `r4-user-${i}@sandbox.local`;
      principals.push(addSandboxPrincipal(sandbox, { username, password: `pw-${i}` }));
      accounts.push({
        id: await connectSandboxAccount(db, ownerId, sandbox, { name: `R4 ${i}`, username, password: `pw-${i}` }),
        username,
      });
    }
    tap = tapSandbox(sandbox);
  });
  afterAll(async () => {
    tap.stop();
    for (const p of principals) p.remove();
    await sandbox.close();
    await evaluator.close();
    await db.close();
    process.env = savedEnv;
    setProcessKeyring(undefined);
  });

  it('0 lost runs, 0 duplicates, ≤ 4 retries per call, no request of a throttled user before its Retry-After', async () => {
    const tag = `r4-${Date.now().toString(36)}`;
    const retry = { maxAttempts: MAX_TRIES, delaySeconds: 0.2, backoff: 'exponential' as const };
    const flows = await Promise.all(accounts.map((a) => storeFlow(db, ownerId, contactFlow(a.id, tag, retry))));
    // Each rule draws only when the ones before it did not fire: conditional rates for 5/2/1 % overall.
    await setFaults(
      sandbox,
      [
        { kind: '429', rate: 0.025, retryAfterSeconds: 1 },
        { kind: '429', rate: 0.025 / 0.975, retryAfterSeconds: 2 },
        { kind: '503', rate: 0.02 / 0.95 },
        { kind: 'drop', rate: 0.01 / 0.93 },
      ],
      Date.now() % 1_000_000,
    );
    const logs: string[] = [];
    const workers = startRunWorkers({
      db,
      workerId: 'r4',
      evaluator: () => evaluator,
      concurrency: 32,
      pollMs: 200,
      log: (m) => logs.push(m),
    });
    const sent = observeClientRequests(new URL(sandbox.service).host);
    const started = Date.now();
    let rows;
    try {
      // Round robin over the users, so that every user's runs are in the queue from start to end.
      const requests: RunRequest[] = Array.from({ length: RUNS }, (_, i) => ({
        ownerId,
        flowId: flows[i % USERS]!,
        flowVersion: 1,
        trigger: {},
        triggerKind: 'manual.trigger',
      }));
      const ids = (await enqueueRuns(db, requests)).map((e) => e.runId);
      rows = await waitForRuns(db, ids, 100_000);
    } finally {
      await workers.stop(5_000);
      sent.stop();
      await setFaults(sandbox, []);
    }
    const elapsed = Date.now() - started;
    const wire = [...tap.entries];
    tap.stop();

    const faults = {
      throttled: wire.filter((e) => e.status === 429).length,
      unavailable: wire.filter((e) => e.status === 503).length,
      dropped: wire.filter((e) => e.dropped).length,
    };
    console.error(`R4: ${RUNS} runs in ${elapsed} ms, ${wire.length} Web API requests, faults ${JSON.stringify(faults)}`);
    // The faults did happen, at about the rates asked for.
    expect(faults.throttled).toBeGreaterThan(wire.length * 0.025);
    expect(faults.unavailable).toBeGreaterThan(wire.length * 0.008);
    expect(faults.dropped).toBeGreaterThan(wire.length * 0.003);

    // 0 lost runs: every run ended, and succeeded.
    expect(rows).toHaveLength(RUNS);
    expect(rows.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error])).toEqual([]);

    // 0 duplicates: one contact per run, updated.
    const contacts = groupBy(await contactsTagged(sandbox, tag), (c) => c.lastname);
    expect(contacts.size).toBe(RUNS);
    expect(rows.filter((r) => contacts.get(r.id)?.length !== 1 || contacts.get(r.id)![0]!.jobtitle !== `done ${r.id}`)).toEqual([]);

    // Tries per call: a create is named by the primary key it sends (derived from the run step), an
    // update by the row it addresses. Exactly one create and one update per run, each ≤ 5 tries.
    const creates = groupBy(wire.filter(isCreate), (e) => (JSON.parse(e.body) as { contactid: string }).contactid);
    const updates = groupBy(wire.filter(isUpdate), (e) => e.path);
    expect([creates.size, updates.size]).toEqual([RUNS, RUNS]);
    const tries = [...creates.values(), ...updates.values()].map((g) => g.length);
    expect(Math.max(...tries)).toBeLessThanOrEqual(MAX_TRIES);
    expect(tries.filter((n) => n > 1).length).toBeGreaterThan(0);
    console.error(`R4: calls by tries: ${[...groupBy(tries, String)].map(([n, calls]) => `${n}: ${calls.length}`).join(', ')}`);

    // No request of a user was created while a Retry-After it had been given ran, judged on the
    // client's side of the wire (the sandbox sees a request only when its event loop gets to it).
    const byUser = groupBy(sent.entries, (e) => e.user);
    expect(byUser.size).toBe(USERS);
    expect(sent.entries.filter((e) => e.status === 429)).toHaveLength(faults.throttled);
    const early: string[] = [];
    /** Requests of the other users in those windows: traffic went on, so the empty windows mean something. */
    let othersMeanwhile = 0;
    for (const [user, entries] of byUser) {
      for (const t of entries.filter((e) => e.status === 429 && e.answered !== undefined)) {
        const from = t.answered! + GATE_SLACK_MS;
        const until = t.answered! + (t.retryAfterMs ?? 0) - 5;
        for (const e of entries) {
          if (e.created > from && e.created < until)
            early.push(
              `${user}: ${e.method} ${e.path} ${Math.round(e.created - t.answered!)} ms after a 429 of ${t.retryAfterMs} ms was read`,
            );
        }
        othersMeanwhile += sent.entries.filter((e) => e.user !== user && e.created > from && e.created < until).length;
      }
    }
    expect(early).toEqual([]);
    expect(othersMeanwhile).toBeGreaterThan(faults.throttled);
    // The runtime logged nothing unexpected (a step that failed unexpectedly, a storage failure).
    expect(logs.filter((m) => /unexpected|stopped by|claim failed/.test(m))).toEqual([]);
    expect(elapsed).toBeLessThan(100_000);
  }, 150_000);
});
