import { describe, expect, it } from 'vitest';
import { MAX_FAILURES, SignInThrottle, WINDOW_MS } from './sign-in-throttle';

describe('SignInThrottle', () => {
  it('locks an email after too many failures within the window, and unlocks after it', () => {
    let now = 1_000_000;
    const throttle = new SignInThrottle(() => now);
    for (let i = 0; i < MAX_FAILURES - 1; i++) throttle.recordFailure('Ada@Example.com');
    expect(throttle.isLocked('ada@example.com')).toBe(false);
    throttle.recordFailure('ada@example.com');
    expect(throttle.isLocked('ADA@example.com')).toBe(true);
    expect(throttle.isLocked('other@example.com')).toBe(false);
    now += WINDOW_MS;
    expect(throttle.isLocked('ada@example.com')).toBe(false);
  });

  it('a successful sign-in clears the count', () => {
    const throttle = new SignInThrottle(() => 0);
    for (let i = 0; i < MAX_FAILURES - 1; i++) throttle.recordFailure('a@example.com');
    throttle.recordSuccess('a@example.com');
    throttle.recordFailure('a@example.com');
    expect(throttle.isLocked('a@example.com')).toBe(false);
  });
});
