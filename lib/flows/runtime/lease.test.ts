import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { acquireLease, releaseLease, renewLease } from './lease';

describe.each(DATABASE_KINDS)('runtime leases on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(() => db.close());

  it('one holder at a time; an expired lease is taken over; release frees it', async () => {
    expect(await acquireLease(db, 'triggers', 'a', 15_000, 1_000)).toBe(true);
    expect(await acquireLease(db, 'triggers', 'b', 15_000, 2_000)).toBe(false);
    expect(await acquireLease(db, 'triggers', 'a', 15_000, 2_000)).toBe(true);
    expect(await renewLease(db, 'triggers', 'b', 15_000, 3_000)).toBe(false);
    expect(await renewLease(db, 'triggers', 'a', 15_000, 3_000)).toBe(true);
    // a renewed at 3 000 → expires at 18 000: b still waits at 17 999, takes over at 18 000.
    expect(await acquireLease(db, 'triggers', 'b', 15_000, 17_999)).toBe(false);
    expect(await acquireLease(db, 'triggers', 'b', 15_000, 18_000)).toBe(true);
    expect(await renewLease(db, 'triggers', 'a', 15_000, 18_001)).toBe(false);
    await releaseLease(db, 'triggers', 'a'); // not a's any more: nothing happens
    expect(await acquireLease(db, 'triggers', 'a', 15_000, 18_002)).toBe(false);
    await releaseLease(db, 'triggers', 'b');
    expect(await acquireLease(db, 'triggers', 'a', 15_000, 18_003)).toBe(true);
  });

  it('concurrent acquisitions of a free lease: exactly one wins', async () => {
    const results = await Promise.all(['x', 'y', 'z', 'w'].map((h) => acquireLease(db, 'race', h, 15_000, 1_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
