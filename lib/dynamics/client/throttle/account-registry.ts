/**
 * Per-account shared state in this process: the `Retry-After` gate and the concurrency limiter,
 * keyed by account id, so every client of an account obeys the same limits.
 */
import { processSingleton } from '../../../process-singleton';
import { AccountGate } from './account-gate';
import { AdaptiveLimiter, clampConcurrency } from './adaptive-limiter';

export interface AccountThrottle {
  gate: AccountGate;
  limiter: AdaptiveLimiter;
}

const registry = processSingleton('account-throttles', () => new Map<string, AccountThrottle>());

/** The account's shared throttle; an explicit `concurrency` updates its cap. */
export function accountThrottle(accountId: string, concurrency?: number): AccountThrottle {
  let entry = registry.get(accountId);
  if (!entry) {
    entry = { gate: new AccountGate(), limiter: new AdaptiveLimiter(clampConcurrency(concurrency)) };
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
