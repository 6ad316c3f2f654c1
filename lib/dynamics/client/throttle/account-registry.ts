/**
 * Per-account shared state in this process: the `Retry-After` gate and the concurrency limiter,
 * keyed by account id, so every client of an account obeys the same limits — and, when shared
 * limits are installed (throttle/shared-limits.ts), so does every process of the installation.
 */
import { processSingleton } from '../../../process-singleton';
import { AccountGate } from './account-gate';
import { AdaptiveLimiter, clampConcurrency } from './adaptive-limiter';
import { sharedLimits, type SharedLimits } from './shared-limits';

export interface AccountThrottle {
  /** The account's id (the key of its installation-wide gate). */
  accountId?: string;
  gate: AccountGate;
  limiter: AdaptiveLimiter;
  /** The installation-wide limits installed in this process now, if any (read at each request). */
  readonly shared?: SharedLimits;
}

/** The process's share of the cap, from the shared limits installed at the time of asking. */
const installedShare = (cap: number): number => sharedLimits()?.shareOf(cap) ?? cap;

const registry = processSingleton('account-throttles', () => new Map<string, AccountThrottle>());

/** The account's shared throttle; an explicit `concurrency` updates its cap. */
export function accountThrottle(accountId: string, concurrency?: number): AccountThrottle {
  let entry = registry.get(accountId);
  if (!entry) {
    entry = {
      accountId,
      gate: new AccountGate(),
      limiter: new AdaptiveLimiter(clampConcurrency(concurrency), undefined, installedShare),
      get shared() {
        return sharedLimits();
      },
    };
    registry.set(accountId, entry);
  } else if (concurrency !== undefined) {
    entry.limiter.setCap(concurrency);
  }
  return entry;
}

/** Forgets an account's throttle state (tests, account removal). */
export function forgetAccountThrottle(accountId: string): void {
  registry.delete(accountId);
}
