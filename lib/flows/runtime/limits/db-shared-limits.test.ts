/**
 * The storage side of the installation-wide limits, on SQLite and PostgreSQL: gates keep the
 * latest closure, heartbeats expire, the cap is split between live processes and adds up to it,
 * the gate cache saves queries yet a local closure holds at once, and installSharedLimits installs,
 * heartbeats and uninstalls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedLimits } from '@/lib/dynamics/client/throttle/shared-limits';
import { DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { accountGateOpensAt, closeAccountGate, pruneAccountGates } from './account-gates';
import { DbSharedLimits } from './db-shared-limits';
import { installSharedLimits } from './install-shared-limits';
import { beatWorker, liveWorkerIds, pruneWorkers, removeWorker } from './worker-heartbeat';
import { shareOfCap } from './worker-share';

describe('shareOfCap', () => {
  it('splits the cap between live processes, the parts adding up to the cap, at least 1 each', () => {
    const ids = ['a', 'b', 'c'];
    expect(shareOfCap(8, [], 'a')).toBe(8);
    expect(shareOfCap(8, ['a'], 'a')).toBe(8);
    expect(['a', 'b'].map((id) => shareOfCap(8, ['a', 'b'], id))).toEqual([4, 4]);
    expect(ids.map((id) => shareOfCap(8, ids, id))).toEqual([3, 3, 2]);
    expect(ids.map((id) => shareOfCap(52, ids, id)).reduce((s, n) => s + n)).toBe(52);
    expect(ids.map((id) => shareOfCap(2, ids, id))).toEqual([1, 1, 1]);
    // Not yet visible in the list: it counts itself anyway.
    expect(shareOfCap(8, ['b'], 'a')).toBe(4);
  });
});

describe.each(DATABASE_KINDS)('shared limits storage on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(() => db.close());

  it('a gate keeps the latest closure, whoever writes last; open gates are pruned', async () => {
    expect(await accountGateOpensAt(db, 'k1')).toBe(0);
    await closeAccountGate(db, 'k1', 5_000, 1_000);
    await closeAccountGate(db, 'k1', 3_000, 1_100); // a shorter Retry-After seen later
    expect(await accountGateOpensAt(db, 'k1')).toBe(5_000);
    await Promise.all([7_000, 9_000, 8_000].map((until) => closeAccountGate(db, 'k1', until, 1_200)));
    expect(await accountGateOpensAt(db, 'k1')).toBe(9_000);
    await closeAccountGate(db, 'k2', 2_000_000_000_000, 1_000);
    expect(await accountGateOpensAt(db, 'k2')).toBe(2_000_000_000_000); // epoch ms beyond 32 bits
    expect(await pruneAccountGates(db, 10_000)).toBe(1);
    expect(await accountGateOpensAt(db, 'k1')).toBe(0);
  });

  it('heartbeats: a worker is live until its heartbeat is older than the expiry; removal and pruning', async () => {
    await beatWorker(db, { id: 'w-b', kind: 'worker' }, 10_000);
    await beatWorker(db, { id: 'w-a', kind: 'embedded' }, 10_000);
    await beatWorker(db, { id: 'w-a', kind: 'embedded' }, 20_000);
    expect(await liveWorkerIds(db, 20_000, 15_000)).toEqual(['w-a', 'w-b']);
    expect(await liveWorkerIds(db, 25_000, 15_000)).toEqual(['w-a']); // w-b's last beat is 15 s old
    await removeWorker(db, 'w-a');
    expect(await liveWorkerIds(db, 25_000, 15_000)).toEqual([]);
    expect(await pruneWorkers(db, 11_000)).toBe(1);
  });

  it('gate reads are cached for cacheMs; a closure learned here holds here at once and reaches the others after their cache', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const one = new DbSharedLimits(db, { workerId: 'p1', expiryMs: 15_000, cacheMs: 250, now: clock });
    const two = new DbSharedLimits(db, { workerId: 'p2', expiryMs: 15_000, cacheMs: 250, now: clock });
    expect(await two.gateOpensAt('acct')).toBe(0); // read: open, cached until now + 250
    one.closeGate('acct', now + 2_000);
    expect(one.gateOpensAt('acct')).toBe(now + 2_000); // at once, without a read
    await one.flush();
    expect(await accountGateOpensAt(db, 'acct')).toBe(1_002_000);
    now += 249;
    expect(two.gateOpensAt('acct')).toBe(0); // still its cached read: no query per request
    expect(one.gateOpensAt('acct')).toBe(1_002_000); // known closed: nothing to read
    now += 1;
    const read = two.gateOpensAt('acct');
    expect(read).toBeInstanceOf(Promise);
    expect(two.gateOpensAt('acct')).toBe(read); // one read at a time, however many ask
    expect(await read).toBe(1_002_000);
    // A later, shorter closure does not shorten the gate anywhere.
    two.closeGate('acct', now + 500);
    await two.flush();
    expect(await accountGateOpensAt(db, 'acct')).toBe(1_002_000);
  });

  it('a failing database answers what was last known and logs no more than the error', async () => {
    const gone = await openTestDb(kind);
    const logs: string[] = [];
    const limits = new DbSharedLimits(gone, { workerId: 'p', expiryMs: 15_000, cacheMs: 0, log: (m) => logs.push(m) });
    limits.closeGate('x', Date.now() + 60_000);
    await limits.flush();
    await gone.close(); // every query fails from now on
    expect(await limits.gateOpensAt('x')).toBeGreaterThan(Date.now());
    expect(await limits.gateOpensAt('y')).toBe(0);
    limits.closeGate('y', Date.now() + 1_000);
    await limits.flush();
    expect(limits.gateOpensAt('y')).toBeGreaterThan(Date.now()); // the write failed; here it holds all the same
    expect(logs).toHaveLength(1); // at most one line per 30 s
    expect(logs[0]).toMatch(/^shared limits: reading an account gate failed: \w*Error: /);
    expect(logs[0]).not.toContain(gone.env.DATABASE_URL ?? gone.env.DATA_DIR ?? '');
  });

  it('installSharedLimits: heartbeats, shares the cap with the live workers, uninstalls on stop', async () => {
    await beatWorker(db, { id: 'other-worker', kind: 'worker' }, Date.now());
    const installed = await installSharedLimits(db, { workerId: 'this-worker', heartbeatMs: 300 });
    try {
      expect(sharedLimits()).toBe(installed.limits);
      expect(installed.limits.liveWorkers).toEqual(['other-worker', 'this-worker']);
      expect(installed.limits.shareOf(8)).toBe(4);
      // The other worker stops heartbeating: after the expiry (3 beats) this one takes the whole cap.
      await expect.poll(() => installed.limits.shareOf(8), { timeout: 5_000, interval: 50 }).toBe(8);
      expect(await liveWorkerIds(db, Date.now(), 900)).toEqual(['this-worker']);
    } finally {
      await installed.stop();
    }
    expect(sharedLimits()).toBeUndefined();
    expect(await liveWorkerIds(db)).toEqual(['other-worker']); // this one's row is gone at once
    await installed.stop(); // idempotent
  });
});
