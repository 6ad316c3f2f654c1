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
}

/** One user's concurrency as the sandbox saw it (tests assert a client's cap through it). */
export interface UserConcurrency {
  user: string;
  active: number;
  peak: number;
}

export type ThrottleResult = { ok: true; release: () => void; remaining: number } | { ok: false; error: DataverseError };

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
      w = { times: [], head: 0, active: 0, peak: 0 };
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
    let released = false;
    return {
      ok: true,
      remaining: limits.requests - inWindow - 1,
      release: () => {
        if (!released) {
          released = true;
          win.active--;
        }
      },
    };
  }
}
