/**
 * Service protection limits per user: requests per sliding window (default 6,000 per 300 s) and
 * concurrent requests (default 52), answered with 429, `Retry-After` in whole seconds and the hex
 * codes 0x80072322 / 0x80072326.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
 */
import type { ServiceLimits } from './context';
import { DataverseError, codes } from './errors';

interface UserWindow {
  times: number[];
  head: number;
  active: number;
  /** Highest `active` since the window was created or the peaks were last reset. */
  peak: number;
  /** Finished requests' durations (ms) in the window, for the combined execution time. */
  spent: Array<{ at: number; ms: number }>;
}

/** Combined execution time per user per 300 s: 1,200,000 ms (20 minutes), scaled to the window. */
export const EXECUTION_MS_PER_300S = 1_200_000;

/** One user's concurrency as the sandbox saw it (tests assert a client's cap through it). */
export interface UserConcurrency {
  user: string;
  active: number;
  peak: number;
}

export type ThrottleResult =
  | {
      ok: true;
      release: () => void;
      remaining: number;
      /** Combined execution time left in the window (ms), as `x-ms-ratelimit-time-remaining-xrm-requests` reports it. */
      timeRemaining: () => number;
    }
  | { ok: false; error: DataverseError };

export class Throttle {
  private readonly users = new Map<string, UserWindow>();

  reset(): void {
    this.users.clear();
  }

  /** In-flight and peak in-flight requests per user (the principal's object id). */
  concurrency(): UserConcurrency[] {
    return [...this.users].map(([user, w]) => ({ user, active: w.active, peak: w.peak }));
  }

  /** Starts a new peak measurement: each user's peak becomes what is in flight now. */
  resetPeaks(): void {
    for (const w of this.users.values()) w.peak = w.active;
  }

  enter(user: string, limits: ServiceLimits, now = Date.now()): ThrottleResult {
    let w = this.users.get(user);
    if (!w) {
      w = { times: [], head: 0, active: 0, peak: 0, spent: [] };
      this.users.set(user, w);
    }
    const windowMs = limits.windowSeconds * 1000;
    while (w.head < w.times.length && (w.times[w.head] as number) <= now - windowMs) w.head++;
    if (w.head > 1024 && w.head * 2 > w.times.length) {
      w.times = w.times.slice(w.head);
      w.head = 0;
    }
    const inWindow = w.times.length - w.head;
    if (inWindow >= limits.requests) {
      const oldest = w.times[w.head] as number;
      const retry = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
      return {
        ok: false,
        error: new DataverseError(
          429,
          codes.requestLimit,
          `Number of requests exceeded the limit of ${limits.requests} over time window of ${limits.windowSeconds} seconds.`,
          'ServiceProtectionLimit',
          {
            'Retry-After': String(retry),
          },
        ),
      };
    }
    if (w.active >= limits.concurrent) {
      return {
        ok: false,
        error: new DataverseError(
          429,
          codes.concurrencyLimit,
          `Number of concurrent requests exceeded the limit of ${limits.concurrent}.`,
          'ServiceProtectionLimit',
          { 'Retry-After': '1' },
        ),
      };
    }
    w.times.push(now);
    w.active++;
    if (w.active > w.peak) w.peak = w.active;
    const win = w;
    const started = now;
    let released = false;
    const budget = (EXECUTION_MS_PER_300S * limits.windowSeconds) / 300;
    return {
      ok: true,
      remaining: limits.requests - inWindow - 1,
      timeRemaining: () => {
        const at = Date.now();
        win.spent = win.spent.filter((s) => s.at > at - windowMs);
        const used = win.spent.reduce((n, s) => n + s.ms, 0) + (at - started);
        return Math.max(0, budget - used);
      },
      release: () => {
        if (!released) {
          released = true;
          win.active--;
          win.spent.push({ at: Date.now(), ms: Date.now() - started });
        }
      },
    };
  }
}
