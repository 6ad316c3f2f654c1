import { describe, expect, it } from 'vitest';
import { DEFAULT_STEP_RETRY, mayRetry, retryDelayMs, retryPolicyFor, toClientRetry } from './retry-policy';

const node = (retry?: { maxAttempts: number; delaySeconds: number; backoff: 'fixed' | 'exponential' }) => ({
  params: { inputs: {}, ...(retry ? { retry } : {}) },
});

describe('retryPolicyFor', () => {
  it('defaults to exponential with jitter, 4 tries, 1 s to 30 s', () => {
    expect(retryPolicyFor(node())).toEqual({ kind: 'exponential', maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000, jitter: 0.5 });
  });
  it('reads one try as no retry at all', () => {
    expect(retryPolicyFor(node({ maxAttempts: 1, delaySeconds: 5, backoff: 'exponential' })).kind).toBe('none');
  });
  it('keeps a fixed delay fixed and without jitter', () => {
    expect(retryPolicyFor(node({ maxAttempts: 3, delaySeconds: 2, backoff: 'fixed' }))).toEqual({
      kind: 'fixed',
      maxAttempts: 3,
      baseDelayMs: 2000,
      maxDelayMs: 2000,
      jitter: 0,
    });
  });
  it('lets an exponential policy grow to 8× its first delay, at least 30 s, at most an hour', () => {
    expect(retryPolicyFor(node({ maxAttempts: 5, delaySeconds: 1, backoff: 'exponential' })).maxDelayMs).toBe(30_000);
    expect(retryPolicyFor(node({ maxAttempts: 5, delaySeconds: 60, backoff: 'exponential' })).maxDelayMs).toBe(480_000);
    expect(retryPolicyFor(node({ maxAttempts: 5, delaySeconds: 3600, backoff: 'exponential' })).maxDelayMs).toBe(3_600_000);
  });
});

describe('retryDelayMs', () => {
  const exp = DEFAULT_STEP_RETRY;
  it('doubles from the base delay up to the ceiling; random 0 means no jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(exp, n, 0))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });
  it('takes at most the jitter share off', () => {
    expect(retryDelayMs(exp, 2, 1)).toBe(1000);
    expect(retryDelayMs(exp, 2, 0.5)).toBe(1500);
  });
  it('waits the same for a fixed policy whatever the retry number or randomness', () => {
    const fixed = retryPolicyFor(node({ maxAttempts: 4, delaySeconds: 3, backoff: 'fixed' }));
    expect([1, 2, 3].map((n) => retryDelayMs(fixed, n, 0.9))).toEqual([3000, 3000, 3000]);
  });
  it('lets Retry-After win, even above the ceiling or below the backoff', () => {
    expect(retryDelayMs(exp, 1, 0, 45_000)).toBe(45_000);
    expect(retryDelayMs(exp, 5, 0, 0)).toBe(0);
  });
});

describe('mayRetry and toClientRetry', () => {
  it('allows tries up to maxAttempts, none for kind none', () => {
    expect([1, 2, 3, 4].map((a) => mayRetry(exp4(), a))).toEqual([true, true, true, false]);
    expect(mayRetry(retryPolicyFor(node({ maxAttempts: 1, delaySeconds: 0, backoff: 'fixed' })), 1)).toBe(false);
  });
  it('hands the client the same numbers (R4: at most 4 tries per call by default)', () => {
    expect(toClientRetry(DEFAULT_STEP_RETRY)).toEqual({ maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000, jitter: 0.5 });
  });
});

function exp4() {
  return retryPolicyFor(node());
}
