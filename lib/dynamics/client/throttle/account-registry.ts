/**
 * Per-account shared state in this process: the `Retry-After` gate and the concurrency limiter,
 * kept per limit key (the account's environment and principal, throttle/limit-key.ts) so every
 * client of that Dataverse user obeys the same limits — and, when shared limits are installed
 * (throttle/shared-limits.ts), so does every process of the installation. Accounts are looked up by
 * their id: an account id maps to the limit key it was last created with.
 */
import { processSingleton } from '../../../process-singleton';
import { AccountGate } from './account-gate';
import { AdaptiveLimiter, clampConcurrency } from './adaptive-limiter';
import { sharedLimits, type SharedLimits } from './shared-limits';

export interface AccountThrottle {
  /** The limit key (environment + principal): the key of the installation-wide gate. */
  accountId?: string;
  gate: AccountGate;
  limiter: AdaptiveLimiter;
  /** The installation-wide limits installed in this process now, if any (read at each request). */
  readonly shared?: SharedLimits;
}

/** The process's share of the cap, from the shared limits installed at the time of asking. */
const installedShare = (cap: number): number => sharedLimits()?.shareOf(cap) ?? cap;

const registry = processSingleton('account-throttles', () => new Map<string, AccountThrottle>());
/** Account id → the limit key its throttle is kept under (absent: the account id itself). */
const keys = processSingleton('account-throttle-keys', () => new Map<string, string>());

/**
 * The account's shared throttle; an explicit `concurrency` updates its cap (accounts sharing a key
 * share the cap: the last one set wins). `limitKey` (from `limitKeyOf`) files the account under its
 * environment and principal; without it the account keeps the key it was last given, or its own id.
 */
export function accountThrottle(accountId: string, concurrency?: number, limitKey?: string): AccountThrottle {
  if (limitKey !== undefined) keys.set(accountId, limitKey);
  const key = keys.get(accountId) ?? accountId;
  let entry = registry.get(key);
  if (!entry) {
    entry = {
      accountId: key,
      gate: new AccountGate(),
      limiter: new AdaptiveLimiter(clampConcurrency(concurrency), undefined, installedShare),
      get shared() {
        return sharedLimits();
      },
    };
    registry.set(key, entry);
  } else if (concurrency !== undefined) {
    entry.limiter.setCap(concurrency);
  }
  return entry;
}

/** Forgets an account's throttle state (tests, account removal); kept while another account shares its key. */
export function forgetAccountThrottle(accountId: string): void {
  const key = keys.get(accountId) ?? accountId;
  keys.delete(accountId);
  for (const other of keys.values()) if (other === key) return;
  registry.delete(key);
}
