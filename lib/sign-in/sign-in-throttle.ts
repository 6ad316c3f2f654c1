import { processSingleton } from '@/lib/process-singleton';

/** Failed sign-ins allowed per email within the window before it is locked for the window. */
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60_000;
/** The error code the sign-in form recognises. */
export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';

interface Entry {
  failures: number;
  /** When the current window started (first failure). */
  since: number;
}

/**
 * A brake on password guessing: after MAX_FAILURES wrong passwords for one email within
 * WINDOW_MS, further attempts for it are refused until the window has passed. In memory, per
 * process: enough to make online guessing slow, without storing anything about attackers.
 */
export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  isLocked(email: string): boolean {
    const entry = this.current(email);
    return entry !== undefined && entry.failures >= MAX_FAILURES;
  }

  recordFailure(email: string): void {
    const entry = this.current(email) ?? { failures: 0, since: this.now() };
    entry.failures++;
    this.entries.set(email.toLowerCase(), entry);
  }

  recordSuccess(email: string): void {
    this.entries.delete(email.toLowerCase());
  }

  private current(email: string): Entry | undefined {
    const key = email.toLowerCase();
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.since >= WINDOW_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

export const signInThrottle = processSingleton('sign-in-throttle', () => new SignInThrottle());
