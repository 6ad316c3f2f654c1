/**
 * Dataverse clients for Dynamics steps, kept for a short while per (owner, account, retry policy):
 * building one reads the account row and decrypts its secrets, which a flow with many steps (or a
 * For each over hundreds of items) would otherwise do per step. Throttling, tokens and concurrency
 * are shared per account inside the client anyway; this only saves the read. The entry is dropped
 * when the account is forgotten (updated, reconnected, deleted) via `forgetStepClients`, and
 * expires after `CLIENT_TTL_MS` regardless, so a change made elsewhere is seen soon. Clients are
 * built without a signal: each call gets the step's own.
 */
import type { Db } from '@/lib/db/database';
import { getClientForAccount } from '@/lib/dynamics/accounts/account-client';
import { onAccountForgotten } from '@/lib/dynamics/accounts/account-forgotten';
import type { DataverseClient } from '@/lib/dynamics/client/types';
import { toClientRetry, type StepRetryPolicy } from './retry-policy';

export const CLIENT_TTL_MS = 30_000;
const MAX_ENTRIES = 500;

interface Entry {
  accountId: string;
  expiresAt: number;
  client: Promise<DataverseClient>;
}

const entries = new Map<string, Entry>();

function sweep(now: number): void {
  for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  // Still full: drop the oldest (Map keeps insertion order).
  while (entries.size >= MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest === undefined) break;
    entries.delete(oldest);
  }
}

/** @example const client = await stepClient(db, ownerId, accountId, retryPolicyFor(node)); */
export function stepClient(
  db: Db,
  ownerId: string,
  accountId: string,
  policy: StepRetryPolicy,
  now: number = Date.now(),
): Promise<DataverseClient> {
  const key = JSON.stringify([ownerId, accountId, policy.maxAttempts, policy.baseDelayMs, policy.maxDelayMs, policy.jitter]);
  const cached = entries.get(key);
  if (cached && cached.expiresAt > now) return cached.client;
  sweep(now);
  const client = getClientForAccount(db, ownerId, accountId, { retry: toClientRetry(policy) });
  const entry: Entry = { accountId, expiresAt: now + CLIENT_TTL_MS, client };
  entries.set(key, entry);
  // A failure (not found, needs reconnecting) is not remembered: the next step asks again.
  client.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  return client;
}

/** Drops the cached clients of an account; runs whenever `forgetAccount` does (updated, reconnected, removed). */
export function forgetStepClients(accountId: string): void {
  for (const [key, entry] of entries) if (entry.accountId === accountId) entries.delete(key);
}

// Subscribed once, when this module loads: before it loads there is nothing cached to forget.
onAccountForgotten(forgetStepClients);

/** How many clients are cached (for tests). */
export const cachedStepClients = (): number => entries.size;
