/**
 * Concurrency limit per account: default 8, never above 52 (Dataverse's concurrent-request
 * limit). On a 429 the effective limit halves; every `recoverAfter` successes it grows by one back
 * to the configured cap — the account's rate backs off and recovers, as Microsoft advises.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
 */

export const MAX_CONCURRENCY = 52;
export const DEFAULT_CONCURRENCY = 8;

export function clampConcurrency(n: number | undefined): number {
  if (n === undefined || !Number.isFinite(n)) return DEFAULT_CONCURRENCY;
  return Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(n)));
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class AdaptiveLimiter {
  private cap: number;
  private effective: number;
  private active = 0;
  private successes = 0;
  private readonly queue: Waiter[] = [];
  /** Highest number of requests in flight at once (for tests and benchmarks). */
  peak = 0;

  /**
   * @param share this process's part of the cap when several processes share it (see
   *   throttle/shared-limits.ts); asked on every acquire and release, so a change of the live
   *   process count applies at the next request.
   */
  constructor(
    cap: number = DEFAULT_CONCURRENCY,
    private readonly recoverAfter = 4,
    private readonly share: (cap: number) => number = (c) => c,
  ) {
    this.cap = clampConcurrency(cap);
    this.effective = this.cap;
  }

  /** The number of requests allowed in flight now: the adaptive limit within this process's share of the cap. */
  get limit(): number {
    return Math.min(this.effective, this.ceiling());
  }

  /** The configured cap (for the whole installation when it is shared). */
  get configuredCap(): number {
    return this.cap;
  }

  private ceiling(): number {
    return Math.min(this.cap, Math.max(1, Math.floor(this.share(this.cap))));
  }

  get inFlight(): number {
    return this.active;
  }

  setCap(cap: number): void {
    this.cap = clampConcurrency(cap);
    this.effective = Math.min(this.effective, this.cap);
    if (this.effective < 1) this.effective = 1;
    this.drain();
  }

  /** Resolves with a release function once a slot is free. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit && this.queue.length === 0) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, ...(signal ? { signal } : {}) };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
    });
  }

  onThrottled(): void {
    this.effective = Math.max(1, Math.floor(this.limit / 2));
    this.successes = 0;
  }

  onSuccess(): void {
    // Growing past this process's share would only make a later halving too mild.
    if (this.effective >= this.ceiling()) return;
    if (++this.successes >= this.recoverAfter) {
      this.successes = 0;
      this.effective += 1;
      this.drain();
    }
  }

  private take(): () => void {
    this.active += 1;
    if (this.active > this.peak) this.peak = this.active;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.drain();
    };
  }

  private drain(): void {
    while (this.active < this.limit && this.queue.length) {
      const w = this.queue.shift() as Waiter;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.resolve(this.take());
    }
  }
}
