import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@/lib/db/database';
import { evictExpiredRateLimits, rateLimitPoints } from '@/lib/db/repositories/rate-limits';
import { createUser, type User } from '@/lib/db/repositories/users';
import { DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { hashPassword, verifyPassword } from './password';
import type { SIGN_IN_BUSY } from './sign-in-throttle';
import {
  allowSignup,
  MAX_IN_FLIGHT_PER_EMAIL,
  POLICIES,
  signInWithPassword,
  SignInRefusedError,
  TOO_MANY_ATTEMPTS,
} from './sign-in-throttle';
import { WorkGate } from './work-gate';

const RIGHT = 'the right password';
let seq = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A password check that counts how often it runs (and how many run at once), without scrypt's cost. */
function countingVerify() {
  const counter = { checks: 0, running: 0, maxRunning: 0 };
  const verify = async (password: string) => {
    counter.checks++;
    counter.running++;
    counter.maxRunning = Math.max(counter.maxRunning, counter.running);
    await sleep(2);
    counter.running--;
    return password === RIGHT;
  };
  return { counter, verify };
}

type Outcome = 'user' | 'wrong' | typeof TOO_MANY_ATTEMPTS | typeof SIGN_IN_BUSY;
async function attempt(p: Promise<User | null>): Promise<Outcome> {
  try {
    return (await p) ? 'user' : 'wrong';
  } catch (err) {
    if (err instanceof SignInRefusedError) return err.code;
    throw err;
  }
}

describe.each(DATABASE_KINDS)('sign-in throttle on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  async function newUser(): Promise<User> {
    return createUser(db, { email: `owner-${kind}-${++seq}@example.test`, name: 'Owner', passwordHash: 'scrypt$unused' });
  }
  const gate = () => new WorkGate(4, 1000);

  it('a parallel burst of 300 guesses from one client checks at most the free attempts, and the right password at position 100 gets no session', async () => {
    const user = await newUser();
    const { counter, verify } = countingVerify();
    const passwords = Array.from({ length: 300 }, (_, i) => (i === 99 ? RIGHT : `guess-${i}`));
    const outcomes = await Promise.all(
      passwords.map((password) =>
        attempt(signInWithPassword(db, { email: user.email, password, client: '203.0.113.7' }, { verify, gate: gate() })),
      ),
    );
    expect(counter.checks).toBeLessThanOrEqual(POLICIES.emailClient.freePoints);
    expect(counter.maxRunning).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_EMAIL);
    expect(outcomes[99]).not.toBe('user');
    expect(outcomes.filter((o) => o === 'wrong').length).toBe(counter.checks);
  });

  it('a burst of 300 guesses from 300 clients checks at most the per-email budgets', async () => {
    const user = await newUser();
    const { counter, verify } = countingVerify();
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        attempt(
          signInWithPassword(
            db,
            { email: user.email, password: `guess-${i}`, client: `198.51.100.${i % 250}-${i}` },
            { verify, gate: gate() },
          ),
        ),
      ),
    );
    expect(counter.checks).toBeLessThanOrEqual(POLICIES.email.freePoints + POLICIES.emailCleanClient.freePoints);
    expect(counter.maxRunning).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_EMAIL);
  });

  it('backs off progressively per (email, client), and the wait ends', async () => {
    const user = await newUser();
    const { verify } = countingVerify();
    let now = 1_800_000_000_000;
    const deps = { verify, gate: gate(), now: () => now };
    const tryOnce = (password = 'wrong') => attempt(signInWithPassword(db, { email: user.email, password, client: '192.0.2.1' }, deps));
    for (let i = 0; i < POLICIES.emailClient.freePoints; i++) expect(await tryOnce()).toBe('wrong');
    // The sixth passes too, but starts the first wait (1 s); the next one within it is refused unchecked.
    expect(await tryOnce()).toBe('wrong');
    expect(await tryOnce(RIGHT)).toBe(TOO_MANY_ATTEMPTS);
    now += 1_000;
    expect(await tryOnce()).toBe('wrong');
    now += 1_000; // the second wait is 2 s
    expect(await tryOnce()).toBe(TOO_MANY_ATTEMPTS);
    now += 1_000;
    expect(await tryOnce(RIGHT)).toBe('user');
  });

  it('a locked-out attacker does not keep the owner out: the right password from a clean client still works', async () => {
    const user = await newUser();
    const { verify } = countingVerify();
    let now = 1_800_000_000_000;
    const deps = { verify, gate: gate(), now: () => now };
    const outcomes: Outcome[] = [];
    // The attacker keeps guessing from one address and from a few more, for a long time.
    for (let i = 0; i < 200; i++) {
      const client = `203.0.113.${i % 4}`;
      outcomes.push(await attempt(signInWithPassword(db, { email: user.email, password: `guess-${i}`, client }, deps)));
      now += 5_000;
    }
    expect(outcomes).toContain(TOO_MANY_ATTEMPTS);
    expect(await attempt(signInWithPassword(db, { email: user.email, password: RIGHT, client: '203.0.113.0' }, deps))).toBe(
      TOO_MANY_ATTEMPTS,
    );
    expect(await attempt(signInWithPassword(db, { email: user.email, password: RIGHT, client: '192.0.2.200' }, deps))).toBe('user');
  });

  it('keeps its counters in the database: a restart or a second instance neither resets nor multiplies them', async () => {
    const user = await newUser();
    const { counter, verify } = countingVerify();
    const second: Db = await openDatabase(
      db.env.DATABASE_URL ? { url: db.env.DATABASE_URL } : { sqlitePath: join(db.env.DATA_DIR!, 'app.db') },
    );
    try {
      const instances = [db, second];
      const outcomes: Outcome[] = [];
      for (let i = 0; i < 20; i++) {
        const on = instances[i % 2]!;
        outcomes.push(
          await attempt(signInWithPassword(on, { email: user.email, password: `g${i}`, client: '192.0.2.9' }, { verify, gate: gate() })),
        );
      }
      // Both instances together allow the free attempts plus the one that starts the first wait, not twice that.
      expect(counter.checks).toBe(POLICIES.emailClient.freePoints + 1);
      expect(await rateLimitPoints(second, `ec:${user.email}|192.0.2.9`)).toBe(POLICIES.emailClient.freePoints + 1);
    } finally {
      await second.close();
    }
  });

  it('evicts counters once they have expired', async () => {
    const user = await newUser();
    const { verify } = countingVerify();
    const now = 1_700_000_000_000;
    await attempt(
      signInWithPassword(db, { email: user.email, password: 'x', client: '192.0.2.77' }, { verify, gate: gate(), now: () => now }),
    );
    expect(await rateLimitPoints(db, `ec:${user.email}|192.0.2.77`, now)).toBe(1);
    await evictExpiredRateLimits(db, now + POLICIES.emailClient.idleMs + 1);
    expect(await rateLimitPoints(db, `ec:${user.email}|192.0.2.77`, now)).toBe(0);
  });

  it('counts sign-ups per client', async () => {
    const now = 1_800_000_000_000;
    for (let i = 0; i < POLICIES.signup.freePoints; i++) await allowSignup(db, '192.0.2.50', now);
    await allowSignup(db, '192.0.2.50', now); // starts the first wait
    await expect(allowSignup(db, '192.0.2.50', now)).rejects.toBeInstanceOf(SignInRefusedError);
    await expect(allowSignup(db, '192.0.2.51', now)).resolves.toBeUndefined();
  });

  it('SIGNUP_FREE_PER_CLIENT sets how many sign-ups one address makes before the waits', async () => {
    const previous = process.env.SIGNUP_FREE_PER_CLIENT;
    process.env.SIGNUP_FREE_PER_CLIENT = '2';
    try {
      const now = Date.now();
      await allowSignup(db, '192.0.2.60', now);
      await allowSignup(db, '192.0.2.60', now);
      await allowSignup(db, '192.0.2.60', now); // starts the first wait
      await expect(allowSignup(db, '192.0.2.60', now)).rejects.toBeInstanceOf(SignInRefusedError);
    } finally {
      if (previous === undefined) delete process.env.SIGNUP_FREE_PER_CLIENT;
      else process.env.SIGNUP_FREE_PER_CLIENT = previous;
    }
  });

  it("a flood of 600 wrong sign-ins from one client leaves another user's real sign-in under 1 s", async () => {
    const owner = await createUser(db, {
      email: `flooded-${kind}-${++seq}@example.test`,
      name: 'Owner',
      passwordHash: await hashPassword(RIGHT),
    });
    const victim = await createUser(db, {
      email: `other-${kind}-${++seq}@example.test`,
      name: 'Other',
      passwordHash: await hashPassword('x-password'),
    });
    const hashes = new WorkGate(2, 16);
    // 600 wrong sign-ins from one client over 30 connections, each sending its next as soon as the last is answered.
    let sent = 0;
    const seen: Outcome[] = [];
    const worker = async () => {
      while (sent < 600) {
        const i = sent++;
        const email = i % 2 ? victim.email : `nobody-${i}@example.test`;
        seen.push(await attempt(signInWithPassword(db, { email, password: `w${i}`, client: '203.0.113.66' }, { gate: hashes })));
      }
    };
    const flood = Promise.all(Array.from({ length: 30 }, worker)).then(() => seen);
    await sleep(20);
    const started = performance.now();
    const result = await signInWithPassword(
      db,
      { email: owner.email, password: RIGHT, client: '192.0.2.10' },
      { gate: hashes, verify: verifyPassword },
    );
    const elapsed = performance.now() - started;
    const outcomes = await flood;
    expect(outcomes).toHaveLength(600);
    expect(result?.id).toBe(owner.id);
    expect(elapsed).toBeLessThan(1_000);
    expect(outcomes.filter((o) => o === 'wrong').length).toBeLessThanOrEqual(POLICIES.client.freePoints + 1);
    console.info(`[flood ${kind}] other user's sign-in took ${elapsed.toFixed(0)} ms; flood outcomes:`, countBy(outcomes));
  });
});

function countBy(values: string[]): Record<string, number> {
  return values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
}
