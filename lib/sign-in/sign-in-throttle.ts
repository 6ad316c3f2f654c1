import { randomBytes } from 'node:crypto';
import type { Db } from '@/lib/db/database';
import {
  evictExpiredRateLimits,
  hitRateLimit,
  refundRateLimit,
  resetRateLimit,
  type RateLimitPolicy,
} from '@/lib/db/repositories/rate-limits';
import { evictEndedSessions } from '@/lib/db/repositories/sessions';
import { findUserByEmail, normalizeEmail, type User } from '@/lib/db/repositories/users';
import { processSingleton } from '@/lib/process-singleton';
import { hashPassword, verifyPassword } from './password';
import { GateFullError, WorkGate } from './work-gate';

// Why our own table rather than rate-limiter-flexible: its SQL stores need the raw driver handles
// (a pg Pool, a synchronous better-sqlite3 Database) that the app's Kysely-only Db does not expose,
// so using it would mean a second set of connections beside the app's pool and a table created
// outside our migrations. The semantics are its brute-force recipe (consume a point before the
// work, progressive blocks, keys per client and per account) over one portable upsert
// (lib/db/repositories/rate-limits.ts) on SQLite and PostgreSQL alike.

/** The error codes the sign-in form recognises (next-auth hands a thrown error's message over). */
export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';
export const SIGN_IN_BUSY = 'SignInBusy';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** Waits after the free attempts: doubling from 1 s up to 15 minutes. */
const BACKOFF_MS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900].map((s) => s * SECOND);

export const POLICIES = {
  /** Password checks from one client, whatever the email (a success, or a refusal by a narrower counter, gives its point back). */
  client: { freePoints: 50, delaysMs: BACKOFF_MS, idleMs: 15 * MINUTE },
  /** Guesses at one email from one client (a success clears it). */
  emailClient: { freePoints: 5, delaysMs: BACKOFF_MS, idleMs: 15 * MINUTE },
  /** Guesses at one email from clients that are already failing, wherever they come from. */
  email: { freePoints: 20, delaysMs: [1, 2, 5, 10, 15].map((m) => m * MINUTE), idleMs: 15 * MINUTE },
  /** The owner's own budget: attempts at one email from clients with (almost) no recent failures. */
  emailCleanClient: { freePoints: 10, delaysMs: [1, 2, 5, 10, 15].map((m) => m * MINUTE), idleMs: 15 * MINUTE },
  /** Sign-ups from one client. */
  signup: { freePoints: 30, delaysMs: [10, 30, 60, 300, 900].map((s) => s * SECOND), idleMs: 60 * MINUTE },
} satisfies Record<string, RateLimitPolicy>;

/** A client is "clean" for an email while both its counters are at most this (one mistyped password is forgiven). */
export const CLEAN_CLIENT_MAX_POINTS = 2;
/** Password checks for one email running at once in this process; more are refused at once. */
export const MAX_IN_FLIGHT_PER_EMAIL = 2;
/** Sign-in attempts from one client being handled at once in this process; more are refused before touching the database. */
export const MAX_IN_FLIGHT_PER_CLIENT = 4;

/** A refused attempt: which code to show, and how long until one may pass. */
export class SignInRefusedError extends Error {
  override readonly name = 'SignInRefusedError';
  constructor(
    readonly code: typeof TOO_MANY_ATTEMPTS | typeof SIGN_IN_BUSY,
    readonly retryAfterMs: number,
  ) {
    super(code);
  }
}

function envInt(name: string, fallback: number, max: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value >= 1 ? Math.min(value, max) : fallback;
}

/**
 * Password hashing (sign-in and sign-up) is CPU-bound: at most SIGN_IN_HASH_CONCURRENCY hashes run at
 * once per process (default 2), with a short queue; beyond it a request is refused at once.
 */
export const hashGate = processSingleton('sign-in-hash-gate', () => {
  const concurrency = envInt('SIGN_IN_HASH_CONCURRENCY', 2, 16);
  return new WorkGate(concurrency, concurrency * 8);
});

const inFlight = processSingleton('sign-in-in-flight', () => ({ emails: new Map<string, number>(), clients: new Map<string, number>() }));
// Blocks this process has already seen in the database, so a flood from a blocked client is refused
// from memory instead of queueing on the database pool ahead of everyone else (the database stays
// the source of truth: a block is only ever cached, never invented).
const knownBlocks = processSingleton('sign-in-known-blocks', () => new Map<string, number>());
const KNOWN_BLOCKS_MAX = 10_000;
const housekeeping = processSingleton('sign-in-housekeeping', () => ({ lastEvictedAt: 0 }));
const EVICT_EVERY_MS = 5 * MINUTE;

export interface PasswordSignIn {
  email: string;
  password: string;
  /** The client's address (clientAddress). */
  client: string;
}

export interface SignInDeps {
  verify?: (password: string, hash: string) => Promise<boolean>;
  gate?: WorkGate;
  now?: () => number;
}

// A fixed hash to compare against when the email is unknown, so response time does not reveal
// which emails have accounts.
let decoyHash: Promise<string> | undefined;

/**
 * Checks an email and password under the throttle: every attempt is counted in the database
 * BEFORE the password is hashed (nothing is refunded on failure), so a parallel burst passes at
 * most the free attempts; attempts beyond are refused without hashing. Returns the user, null for
 * a wrong email or password, or throws SignInRefusedError.
 */
export async function signInWithPassword(db: Db, input: PasswordSignIn, deps: SignInDeps = {}): Promise<User | null> {
  const now = (deps.now ?? Date.now)();
  const email = normalizeEmail(input.email);
  evictNowAndThen(db, now);

  const clientKey = `c:${input.client}`;
  const pairKey = `ec:${email}|${input.client}`;
  refuseIfKnownBlocked([clientKey, pairKey], now);
  const release = [enter(inFlight.clients, input.client, MAX_IN_FLIGHT_PER_CLIENT)];
  try {
    const byClient = await hit(db, clientKey, POLICIES.client, now);
    let emailKey: string;
    let clean: boolean;
    try {
      const byPair = await hit(db, pairKey, POLICIES.emailClient, now);
      // A client that is not failing draws on its own per-email budget, so an attacker who exhausted the
      // email's budget from elsewhere does not keep the owner out.
      clean = byPair.points <= CLEAN_CLIENT_MAX_POINTS && byClient.points <= CLEAN_CLIENT_MAX_POINTS;
      emailKey = clean ? `eo:${email}` : `e:${email}`;
      await hit(db, emailKey, clean ? POLICIES.emailCleanClient : POLICIES.email, now);
    } catch (err) {
      // The client's counter holds the attempts that reached a password check (failures, and those
      // in flight): an attempt refused by a narrower counter gives its point back.
      await refundRateLimit(db, clientKey);
      throw err;
    }
    release.push(enter(inFlight.emails, email, MAX_IN_FLIGHT_PER_EMAIL));
    return await checkPassword(db, input, { email, clean, keys: { clientKey, pairKey, emailKey } }, deps);
  } finally {
    for (const leave of release) leave();
  }
}

async function checkPassword(
  db: Db,
  input: PasswordSignIn,
  { email, clean, keys }: { email: string; clean: boolean; keys: { clientKey: string; pairKey: string; emailKey: string } },
  deps: SignInDeps,
): Promise<User | null> {
  const user = await findUserByEmail(db, email);
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const hash = user?.passwordHash ?? (await decoyHash);
  const verify = deps.verify ?? verifyPassword;
  let ok: boolean;
  try {
    ok = await (deps.gate ?? hashGate).run(() => verify(input.password, hash), clean ? 'high' : 'low');
  } catch (err) {
    if (err instanceof GateFullError) throw new SignInRefusedError(SIGN_IN_BUSY, SECOND);
    throw err;
  }
  if (!user || !ok) return null;
  await Promise.all([resetRateLimit(db, keys.pairKey), refundRateLimit(db, keys.clientKey), refundRateLimit(db, keys.emailKey)]);
  return user;
}

/** One attempt against a counter; a refusal is remembered in memory until its block ends. */
async function hit(db: Db, key: string, policy: RateLimitPolicy, now: number) {
  const result = await hitRateLimit(db, key, policy, now);
  if (!result.allowed) {
    if (knownBlocks.size >= KNOWN_BLOCKS_MAX) {
      for (const [k, until] of knownBlocks) if (until <= now) knownBlocks.delete(k);
      if (knownBlocks.size >= KNOWN_BLOCKS_MAX) knownBlocks.clear();
    }
    knownBlocks.set(key, now + result.retryAfterMs);
    throw new SignInRefusedError(TOO_MANY_ATTEMPTS, result.retryAfterMs);
  }
  return result;
}

function refuseIfKnownBlocked(keys: string[], now: number): void {
  for (const key of keys) {
    const until = knownBlocks.get(key);
    if (until === undefined) continue;
    if (until > now) throw new SignInRefusedError(TOO_MANY_ATTEMPTS, until - now);
    knownBlocks.delete(key);
  }
}

/** Takes one of `max` in-process slots for `key`, or refuses at once; returns the release. */
function enter(slots: Map<string, number>, key: string, max: number): () => void {
  const running = slots.get(key) ?? 0;
  if (running >= max) throw new SignInRefusedError(SIGN_IN_BUSY, SECOND);
  slots.set(key, running + 1);
  return () => {
    const left = (slots.get(key) ?? 1) - 1;
    if (left > 0) slots.set(key, left);
    else slots.delete(key);
  };
}

/** Counts a sign-up from the client before its password is hashed; throws SignInRefusedError. */
export async function allowSignup(db: Db, client: string, now: number = Date.now()): Promise<void> {
  // SIGNUP_FREE_PER_CLIENT: how many sign-ups one address makes before the delays start (a test
  // suite signs up many users from one address; an installation behind a shared proxy may too).
  const policy = { ...POLICIES.signup, freePoints: envInt('SIGNUP_FREE_PER_CLIENT', POLICIES.signup.freePoints, 100_000) };
  const result = await hitRateLimit(db, `su:${client}`, policy, now);
  if (!result.allowed) throw new SignInRefusedError(TOO_MANY_ATTEMPTS, result.retryAfterMs);
}

/** Hashes a new password through the gate; throws SignInRefusedError(SIGN_IN_BUSY) when it is full. */
export async function hashPasswordGated(password: string, gate: WorkGate = hashGate): Promise<string> {
  try {
    return await gate.run(() => hashPassword(password), 'high');
  } catch (err) {
    if (err instanceof GateFullError) throw new SignInRefusedError(SIGN_IN_BUSY, SECOND);
    throw err;
  }
}

/** Old counters and ended sessions are deleted now and then, by whichever request comes along. */
function evictNowAndThen(db: Db, now: number): void {
  if (now - housekeeping.lastEvictedAt < EVICT_EVERY_MS) return;
  housekeeping.lastEvictedAt = now;
  void Promise.all([evictExpiredRateLimits(db, now), evictEndedSessions(db, now)]).catch(() => {});
}
