import { backoffDelay } from '@/lib/dynamics/client/retry/policy';
import type { RetryPolicy as ClientRetryPolicy } from '@/lib/dynamics/client/types';
import type { FlowNode } from '../model/schema';

/**
 * A step's retry policy as the runtime (HTTP steps) and the Dataverse client (Dynamics steps) use
 * it. `maxAttempts` counts the first try. Only transient failures are retried; a server's
 * `Retry-After` wins over the backoff.
 */
export interface StepRetryPolicy {
  kind: 'none' | 'fixed' | 'exponential';
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Share of each delay that is random (0–1): delay ∈ [d·(1−jitter), d]. */
  jitter: number;
}

/** No `params.retry`: exponential with jitter, 4 tries, 1 s then doubling, at most 30 s (the client's own default). */
export const DEFAULT_STEP_RETRY: StepRetryPolicy = {
  kind: 'exponential',
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  jitter: 0.5,
};

/** An exponential policy stops doubling at 8× its first delay (but never below 30 s, never above an hour). */
const EXPONENTIAL_GROWTH = 8;
const MIN_EXPONENTIAL_CEILING_MS = 30_000;
const MAX_DELAY_MS = 3_600_000;

/**
 * @example retryPolicyFor({ params: { retry: { maxAttempts: 3, delaySeconds: 2, backoff: 'fixed' } } })
 * // { kind: 'fixed', maxAttempts: 3, baseDelayMs: 2000, maxDelayMs: 2000, jitter: 0 }
 */
export function retryPolicyFor(node: Pick<FlowNode, 'params'>): StepRetryPolicy {
  const retry = node.params.retry;
  if (!retry) return { ...DEFAULT_STEP_RETRY };
  const baseDelayMs = Math.round((retry.delaySeconds ?? 5) * 1_000);
  if (retry.maxAttempts <= 1) return { kind: 'none', maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, jitter: 0 };
  if (retry.backoff === 'fixed') return { kind: 'fixed', maxAttempts: retry.maxAttempts, baseDelayMs, maxDelayMs: baseDelayMs, jitter: 0 };
  const maxDelayMs = Math.min(MAX_DELAY_MS, Math.max(MIN_EXPONENTIAL_CEILING_MS, baseDelayMs * EXPONENTIAL_GROWTH, baseDelayMs));
  return { kind: 'exponential', maxAttempts: retry.maxAttempts, baseDelayMs, maxDelayMs, jitter: DEFAULT_STEP_RETRY.jitter };
}

/**
 * The wait before retry number `retryNumber` (1 = the first retry), pure: `random` ∈ [0, 1) comes
 * from the caller. A server's `Retry-After` wins. Fixed: always the delay; exponential:
 * `min(max, base·2^(n−1))` less up to `jitter` of it — the same formula as the Dataverse client.
 */
export function retryDelayMs(policy: StepRetryPolicy, retryNumber: number, random: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) return Math.max(0, Math.round(retryAfterMs));
  if (policy.kind === 'none') return 0;
  return backoffDelay({ ...policy, timeoutMs: 1 }, Math.max(1, retryNumber), Math.min(1, Math.max(0, random)));
}

/** Whether another try is allowed after `attempt` tries failed (transient failures only). */
export const mayRetry = (policy: StepRetryPolicy, attempt: number): boolean => policy.kind !== 'none' && attempt < policy.maxAttempts;

/**
 * The same policy for the Dataverse client, which retries inside each call (fixed = a ceiling equal
 * to the first delay, so the doubling never grows).
 */
export function toClientRetry(policy: StepRetryPolicy): Partial<ClientRetryPolicy> {
  return { maxAttempts: policy.maxAttempts, baseDelayMs: policy.baseDelayMs, maxDelayMs: policy.maxDelayMs, jitter: policy.jitter };
}
