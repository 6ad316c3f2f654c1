/**
 * Retry policy: exponential backoff with jitter on 408/429/5xx/network/timeout; 400, 401,
 * 403, 404, 405, 412, 413, 501 are never retried blindly; `Retry-After` overrides the backoff.
 * Pure: the randomness comes from the caller's clock.
 */
import type { DataverseError } from '../errors/dataverse-error';
import type { RetryPolicy } from '../types';

export type FullRetryPolicy = Required<RetryPolicy>;

export const DEFAULT_RETRY_POLICY: FullRetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  timeoutMs: 30_000,
  jitter: 0.5,
};

/** Statuses retried when the error is transient (`execute.test.ts` checks this table). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
/** Local failure codes retried (status 0). */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set(['network', 'timeout', 'invalid_response']);

export function resolvePolicy(p: Partial<RetryPolicy> = {}): FullRetryPolicy {
  const policy = {
    ...DEFAULT_RETRY_POLICY,
    ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)),
  } as FullRetryPolicy;
  policy.maxAttempts = Math.min(10, Math.max(1, Math.floor(policy.maxAttempts)));
  policy.baseDelayMs = Math.max(0, policy.baseDelayMs);
  policy.maxDelayMs = Math.max(policy.baseDelayMs, policy.maxDelayMs);
  policy.timeoutMs = Math.max(1, policy.timeoutMs);
  policy.jitter = Math.min(1, Math.max(0, policy.jitter));
  return policy;
}

/** Delay before retry number `retry` (1 = the first retry): `min(max, base·2^(retry−1))`, minus jitter. */
export function backoffDelay(policy: FullRetryPolicy, retry: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling * (1 - policy.jitter * random));
}

export function isRetryable(err: DataverseError): boolean {
  if (err.status === 0) return RETRYABLE_CODES.has(err.code);
  return RETRYABLE_STATUSES.has(err.status);
}
