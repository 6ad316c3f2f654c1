/**
 * The real client against the sandbox over HTTP with the installation-wide limits installed on a
 * real database, as a worker runs: R6 (500 queued calls against one Dataverse user never exceed
 * the cap at the sandbox; the rate recovers after 429s) and a scaled-down R4 (429 with Retry-After
 * 1–2 s on 5 % of calls, 503 on 2 %, dropped connections on 1 %: every call succeeds within 4 tries,
 * no duplicate, nothing sent to the throttled user inside a Retry-After window).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDataverseClient } from '@/lib/dynamics/client/create-client';
import { accountThrottle, forgetAccountThrottle } from '@/lib/dynamics/client/throttle/account-registry';
import { createHttpTransport, type Transport } from '@/lib/dynamics/client/transport/http-transport';
import type { AccountConnection, DataverseRecord } from '@/lib/dynamics/client/types';
import { hostOf, recordingPort, requestLog, sandboxAccount, setFaults } from '@/test/support/client-fixtures';
import { DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { setupTestSandbox } from '@/test/support/sandbox';
import { installSharedLimits, type InstalledSharedLimits } from './install-shared-limits';

const t = setupTestSandbox();

/** The client's side of the wire: when each attempt left, and when each 429 came back with which Retry-After. */
function watchedTransport() {
  const wire = createHttpTransport({ allowedHosts: [hostOf(t)] });
  const sent = new Map<string, number>();
  /** Attempts per created row (its client-chosen body is the same on every try). */
  const tries = new Map<string, number>();
  const throttled = new Map<string, { at: number; retryAfterMs: number }>();
  const transport: Transport = {
    async send(req) {
      const id = req.headers['x-ms-client-request-id'] ?? '';
      sent.set(id, Date.now());
      if (req.method === 'POST' && req.url.includes('/api/data/') && req.body) {
        const name = String((JSON.parse(req.body) as { lastname?: unknown }).lastname);
        tries.set(name, (tries.get(name) ?? 0) + 1);
      }
      const res = await wire.send(req);
      if (res.status === 429) throttled.set(id, { at: Date.now(), retryAfterMs: Number(res.headers.get('retry-after')) * 1000 });
      return res;
    },
  };
  return { transport, sent, tries, throttled, close: () => wire.close() };
}

async function peakAtSandbox(): Promise<number> {
  const { value } = (await (await t.hook('concurrency')).json()) as { value: { peak: number }[] };
  return Math.max(0, ...value.map((v) => v.peak));
}

describe.each(DATABASE_KINDS)('the client with shared limits on %s', (kind) => {
  let db: TestDb;
  let installed: InstalledSharedLimits;
  let account: AccountConnection;
  beforeAll(async () => {
    db = await openTestDb(kind);
    installed = await installSharedLimits(db, { workerId: `client-limits-${kind}` });
  });
  afterAll(async () => {
    await installed?.stop();
    await db?.close();
  });
  beforeEach(() => {
    account = sandboxAccount(t);
    // A fresh throttle for the sandbox's user: the previous test's gate and halved limit do not carry over.
    forgetAccountThrottle(account.id);
  });

  it('R6: 500 queued calls never put more than the cap (default 8) in flight at the sandbox; after 429s the rate recovers', async () => {
    const client = createDataverseClient(account, recordingPort(), { allowedHosts: [hostOf(t)], retry: { baseDelayMs: 20 } });
    await client.whoAmI();
    // Each request is held 5 ms by the sandbox, so the queue really presses against the cap.
    await setFaults(t, [{ kind: 'delay', delayMs: 5, method: 'GET', path: '/contacts' }]);
    await t.hook('concurrency', { method: 'DELETE' });
    const read = () =>
      client
        .retrievePages('contacts', { select: ['createdon'], top: 1 })
        [Symbol.asyncIterator]()
        .next();
    const results = await Promise.all(Array.from({ length: 500 }, read));
    expect(results.every((r) => !r.done && r.value.length === 1)).toBe(true);
    expect(await peakAtSandbox()).toBe(8);

    // A 429 storm halves the limit; once it subsides, successes bring it back to the cap.
    await setFaults(t, [{ kind: '429', rate: 0.5, count: 4, retryAfterSeconds: 1, method: 'GET', path: '/contacts' }]);
    await Promise.all(Array.from({ length: 40 }, read));
    await setFaults(t, [{ kind: 'delay', delayMs: 5, method: 'GET', path: '/contacts' }]);
    await t.hook('concurrency', { method: 'DELETE' });
    await Promise.all(Array.from({ length: 200 }, read));
    expect(accountThrottle(account.id).limiter.limit).toBe(8);
    expect(await peakAtSandbox()).toBe(8);
  }, 30_000);

  it('R4 (scaled down): 429 / 503 / dropped connections — all calls succeed within 4 tries, no duplicates, no request inside a Retry-After', async () => {
    const N = 120;
    const watch = watchedTransport();
    const client = createDataverseClient(account, recordingPort(), {
      allowedHosts: [hostOf(t)],
      retry: { baseDelayMs: 50, maxDelayMs: 400 },
      transport: watch.transport,
    });
    await client.whoAmI();
    await t.hook('requests', { method: 'DELETE' });
    const on = { method: 'POST', path: '/contacts' };
    await setFaults(
      t,
      [
        { kind: '429', rate: 0.025, retryAfterSeconds: 1, ...on },
        { kind: '429', rate: 0.025, retryAfterSeconds: 2, ...on },
        { kind: '503', rate: 0.02, ...on },
        { kind: 'drop', rate: 0.01, ...on },
      ],
      11,
    );
    const names = Array.from({ length: N }, (_, i) => `r4-${String(i).padStart(3, '0')}`);
    const created = await Promise.all(names.map((lastname) => client.create('contacts', { lastname })));

    const faults = (await (await t.hook('faults')).json()) as { rules: { kind: string; fired: number }[] };
    const fired = (k: string) => faults.rules.filter((r) => r.kind === k).reduce((s, r) => s + r.fired, 0);
    expect(fired('429')).toBeGreaterThan(0);
    expect(fired('503') + fired('drop')).toBeGreaterThan(0);

    // No duplicates: exactly one row per call, the ids the calls returned.
    const rows: DataverseRecord[] = [];
    for await (const page of client.retrievePages('contacts', {
      select: ['lastname'],
      filter: { match: 'all', conditions: [{ field: 'lastname', operator: 'startswith', value: 'r4-' }] },
    }))
      rows.push(...page);
    expect(rows.map((r) => r.lastname).sort()).toEqual(names);
    expect(new Set(rows.map((r) => r.contactid))).toEqual(new Set(created.map((c) => c.id)));

    // At most 4 tries per call; every try reached the sandbox (its log has them all), and some calls were retried.
    const posts = await requestLog(t, { method: 'POST', path: '/contacts' });
    expect([...watch.tries.keys()].sort()).toEqual(names);
    expect(Math.max(...watch.tries.values())).toBeLessThanOrEqual(4);
    expect(posts.length).toBe([...watch.tries.values()].reduce((s, n) => s + n));
    expect(posts.length).toBeGreaterThan(N);

    // Client side: after a 429 arrived, nothing left for its Retry-After.
    expect(watch.throttled.size).toBe(fired('429'));
    for (const { at, retryAfterMs } of watch.throttled.values()) {
      const inside = [...watch.sent.values()].filter((s) => s > at && s < at + retryAfterMs);
      expect(inside.map((s) => `${s - at} ms after a 429`)).toEqual([]);
    }
    // Server side: whatever the sandbox started inside a Retry-After window had left the client
    // before that 429 reached it (it was already in flight), or in the same millisecond (the
    // watcher notes the 429 a few microtasks before the executor closes the gate).
    const idOf = (r: (typeof posts)[number]) => r.headers['x-ms-client-request-id'] ?? '';
    for (const e of posts.filter((r) => r.status === 429)) {
      const answered = Date.parse(e.time) + e.durationMs;
      const { at, retryAfterMs } = watch.throttled.get(idOf(e)) ?? { at: 0, retryAfterMs: 0 };
      for (const o of posts.filter((r) => Date.parse(r.time) > answered && Date.parse(r.time) < answered + retryAfterMs)) {
        expect(watch.sent.get(idOf(o)) ?? Infinity).toBeLessThanOrEqual(at);
      }
    }
    watch.close();
  }, 60_000);
});
