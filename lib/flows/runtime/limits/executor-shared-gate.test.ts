/**
 * The request pipeline with the database implementation of the shared limits, two "processes"
 * (each its own throttle and DbSharedLimits, one database) on a fake clock: a Retry-After one
 * process saw keeps the other's next request waiting exactly until it expires, and each process
 * keeps to its share of the cap. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataverseError } from '@/lib/dynamics/client/errors/dataverse-error';
import { Executor } from '@/lib/dynamics/client/execute';
import { resolvePolicy } from '@/lib/dynamics/client/retry/policy';
import { AccountGate } from '@/lib/dynamics/client/throttle/account-gate';
import type { AccountThrottle } from '@/lib/dynamics/client/throttle/account-registry';
import { AdaptiveLimiter } from '@/lib/dynamics/client/throttle/adaptive-limiter';
import { TokenProvider } from '@/lib/dynamics/client/tokens/token-provider';
import type { Transport, WireRequest, WireResponse } from '@/lib/dynamics/client/transport/http-transport';
import type { AccountConnection, Clock } from '@/lib/dynamics/client';
import { fakeClock, recordingPort } from '@/test/support/client-fixtures';
import { DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { DbSharedLimits } from './db-shared-limits';

const account: AccountConnection = {
  id: 'acc',
  serviceUrl: 'https://contoso.crm.dynamics.com',
  apiVersion: 'v9.2',
  identityEndpoint: 'https://login.microsoftonline.com/organizations',
  method: 'basic_oauth',
  clientId: 'c',
  secrets: { accessToken: 'token-1', accessTokenExpiresAt: '2999-01-01T00:00:00Z', refreshToken: 'r' },
};
const ok = (): WireResponse => ({ status: 200, headers: new Headers(), body: '{}' });
const throttled = (seconds: number): WireResponse => ({
  status: 429,
  headers: new Headers({ 'retry-after': String(seconds) }),
  body: JSON.stringify({ error: { code: '0x80072322', message: 'Number of requests exceeded the limit.' } }),
});

/** One process: its own gate, limiter and shared limits over the common database. */
function processOf(db: TestDb, workerId: string, clock: Clock, answer: (req: WireRequest) => Promise<WireResponse> | WireResponse) {
  const limits = new DbSharedLimits(db, { workerId, expiryMs: 15_000, now: () => clock.now() });
  const throttle: AccountThrottle = {
    accountId: 'lim_shared',
    gate: new AccountGate(),
    limiter: new AdaptiveLimiter(8, 4, (cap) => limits.shareOf(cap)),
    shared: limits,
  };
  const sentAt: number[] = [];
  const transport: Transport = {
    send: async (req) => {
      sentAt.push(clock.now());
      return answer(req);
    },
  };
  const exec = new Executor({
    apiRoot: 'https://contoso.crm.dynamics.com/api/data/v9.2/',
    transport,
    tokens: new TokenProvider(account, recordingPort(), { transport, clock }),
    throttle,
    policy: resolvePolicy({ maxAttempts: 1 }),
    clock,
  });
  return { exec, limits, throttle, sentAt };
}

describe.each(DATABASE_KINDS)('the executor with DB shared limits on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(() => db.close());

  it("a Retry-After one process saw holds the other's next request until it expires", async () => {
    const clock = fakeClock(1_700_000_000_000);
    const start = clock.now();
    const one = processOf(db, 'p1', clock, () => throttled(7));
    const two = processOf(db, 'p2', clock, () => ok());
    for (const p of [one, two]) p.limits.setLiveWorkers(['p1', 'p2'], start);
    await two.exec.send({ method: 'GET', path: 'accounts' }); // p2 has read the gate (open) and cached it
    await expect(one.exec.send({ method: 'GET', path: 'accounts' })).rejects.toBeInstanceOf(DataverseError);
    await one.limits.flush();
    clock.advance(300); // past p2's gate cache
    await two.exec.send({ method: 'GET', path: 'accounts' });
    expect(two.sentAt).toEqual([start, start + 7_000]);
    expect(clock.sleeps).toEqual([6_700]);
    expect(two.throttle.gate.opensAt).toBe(start + 7_000);
  });

  it('each process keeps to its share of the cap: 8 over two live processes is 4 each', async () => {
    const clock = fakeClock();
    let inFlight = 0;
    let peak = 0;
    const slow = async (): Promise<WireResponse> => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return ok();
    };
    const one = processOf(db, 'p1', clock, slow);
    one.limits.setLiveWorkers(['p1', 'p2'], clock.now());
    await Promise.all(Array.from({ length: 60 }, () => one.exec.send({ method: 'GET', path: 'contacts' })));
    expect(peak).toBe(4);
    // Alone again: the whole cap, at the next requests.
    one.limits.setLiveWorkers(['p1'], clock.now());
    peak = 0;
    await Promise.all(Array.from({ length: 60 }, () => one.exec.send({ method: 'GET', path: 'contacts' })));
    expect(peak).toBe(8);
    // Its own heartbeat stale past the expiry: the others no longer count it, so it keeps to one.
    clock.advance(15_001);
    peak = 0;
    await Promise.all(Array.from({ length: 10 }, () => one.exec.send({ method: 'GET', path: 'contacts' })));
    expect(peak).toBe(1);
  });
});
