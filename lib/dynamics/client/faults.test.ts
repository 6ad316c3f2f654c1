/**
 * Fault injection against the sandbox over real HTTP: 429 storms (no request inside a
 * Retry-After window, asserted from the sandbox log; the rate recovers), 503s and dropped
 * connections during creates (no duplicates), and a create whose answer is lost after it committed.
 */
import { describe, expect, it } from 'vitest';
import { setupTestSandbox } from '../../../test/support/sandbox';
import { createDataverseClient } from './create-client';
import { accountThrottle } from './throttle/account-registry';
import { createHttpTransport, type Transport } from './transport/http-transport';
import { hostOf, recordingPort, requestLog, sandboxAccount, setFaults } from '../../../test/support/client-fixtures';
import type { DataverseRecord } from './types';

const t = setupTestSandbox();

async function rowsNamed(prefix: string, entitySet: string, field: string): Promise<DataverseRecord[]> {
  const client = createDataverseClient(sandboxAccount(t), recordingPort(), { allowedHosts: [hostOf(t)] });
  const rows: DataverseRecord[] = [];
  for await (const page of client.retrievePages(entitySet, {
    select: [field],
    filter: { match: 'all', conditions: [{ field, operator: 'startswith', value: prefix }] },
  }))
    rows.push(...page);
  return rows;
}

describe('429 storm', () => {
  it('sends nothing inside a Retry-After window, then recovers its rate', async () => {
    // Watch the wire on the client side: when each attempt left and when each 429 came back.
    const wire = createHttpTransport({ allowedHosts: [hostOf(t)] });
    const sent = new Map<string, number>();
    const throttledAt = new Map<string, number>();
    const transport: Transport = {
      async send(req) {
        const id = req.headers['x-ms-client-request-id'] ?? '';
        sent.set(id, Date.now());
        const res = await wire.send(req);
        if (res.status === 429) throttledAt.set(id, Date.now());
        return res;
      },
    };
    const account = sandboxAccount(t);
    const client = createDataverseClient(account, recordingPort(), {
      allowedHosts: [hostOf(t)],
      concurrency: 8,
      retry: { baseDelayMs: 20 },
      transport,
    });
    await client.whoAmI(); // token first, so the storm only hits the Web API
    await setFaults(t, [{ kind: '429', rate: 0.3, count: 5, retryAfterSeconds: 1, method: 'GET', path: '/accounts' }]);
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        client
          .retrievePages('accounts', { select: ['name'], top: 1 })
          [Symbol.asyncIterator]()
          .next(),
      ),
    );
    expect(results.every((r) => !r.done && r.value.length === 1)).toBe(true);
    expect(throttledAt.size).toBe(5);

    // Client side: after a 429 arrived, nothing left for a full Retry-After second.
    for (const at of throttledAt.values()) {
      const inside = [...sent.values()].filter((s) => s > at && s < at + 1000).map((s) => `${s - at} ms after a 429`);
      expect(inside).toEqual([]);
    }
    // Server side (the sandbox log): whatever the sandbox started inside one of its Retry-After
    // windows had left the client before that 429 reached it (it was already in flight).
    const log = (await requestLog(t)).filter((r) => r.path.startsWith('/api/'));
    const idOf = (r: (typeof log)[number]) => r.headers['x-ms-client-request-id'] ?? '';
    for (const e of log.filter((r) => r.status === 429)) {
      const opened = Date.parse(e.time) + e.durationMs;
      const receivedByClient = throttledAt.get(idOf(e)) ?? 0;
      for (const o of log.filter((r) => Date.parse(r.time) > opened && Date.parse(r.time) < opened + 1000)) {
        expect(sent.get(idOf(o)) ?? Infinity).toBeLessThan(receivedByClient);
      }
    }
    // After the storm the limiter grows back to the configured cap.
    await Promise.all(Array.from({ length: 40 }, () => client.whoAmI()));
    expect(accountThrottle(account.id).limiter.limit).toBe(8);
  }, 20_000);
});

describe('503 and dropped connections during creates', () => {
  it('every create lands exactly once', async () => {
    const client = createDataverseClient(sandboxAccount(t), recordingPort(), { allowedHosts: [hostOf(t)], retry: { baseDelayMs: 5 } });
    await client.whoAmI();
    await setFaults(t, [
      { kind: '503', rate: 0.2, count: 6, method: 'POST', path: '/contacts' },
      { kind: 'drop', rate: 0.15, count: 4, method: 'POST', path: '/contacts' },
      // Committed, then the answer is lost: the retry must find its own row, not make a second one.
      { kind: 'drop_after', rate: 0.15, count: 4, method: 'POST', path: '/contacts' },
    ]);
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) => client.create('contacts', { lastname: `fault-${String(i).padStart(2, '0')}` })),
    );
    const faults = (await (await t.hook('faults')).json()) as { injected: number; rules: { kind: string; fired: number }[] };
    expect(faults.injected).toBe(14);
    expect(faults.rules.find((r) => r.kind === 'drop_after')?.fired).toBe(4);
    const rows = await rowsNamed('fault-', 'contacts', 'lastname');
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.lastname)).size).toBe(40);
    expect(new Set(rows.map((r) => r.contactid))).toEqual(new Set(created.map((c) => c.id)));
  });

  it('cancellation aborts a slow call at once', async () => {
    const client = createDataverseClient(sandboxAccount(t), recordingPort(), { allowedHosts: [hostOf(t)] });
    await client.whoAmI();
    await setFaults(t, [{ kind: 'delay', delayMs: 3000, count: 1, method: 'GET', path: 'WhoAmI' }]);
    const started = Date.now();
    await expect(client.whoAmI(AbortSignal.timeout(100))).rejects.toMatchObject({ code: 'aborted' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a create that committed but whose answer was lost is not duplicated', async () => {
    const client = createDataverseClient(sandboxAccount(t), recordingPort(), {
      allowedHosts: [hostOf(t)],
      retry: { timeoutMs: 150, baseDelayMs: 600, jitter: 0 },
    });
    await client.whoAmI();
    await setFaults(t, [{ kind: 'delay', delayMs: 300, count: 1, method: 'POST', path: '/accounts' }]);
    const { id } = await client.create('accounts', { name: 'lost-answer-1' });
    const rows = await rowsNamed('lost-answer-', 'accounts', 'name');
    expect(rows.map((r) => r.accountid)).toEqual([id]);
    const posts = await requestLog(t, { method: 'POST', path: '/accounts' });
    expect(posts.map((p) => p.status)).toEqual([204, 412]);
  });
});
