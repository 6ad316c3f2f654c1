import type { Db } from '@/lib/db/database';
import type { SharedLimits } from '@/lib/dynamics/client/throttle/shared-limits';
import { accountGateOpensAt, closeAccountGate } from './account-gates';
import { shareOfCap } from './worker-share';

export const GATE_CACHE_MS = 250;

export interface DbSharedLimitsOptions {
  workerId: string;
  /** How long a gate read from the database is trusted (default 250 ms): at most one read per account per period. */
  cacheMs?: number;
  /** After this long without a successful heartbeat the others no longer count this process: it keeps to one request. */
  expiryMs: number;
  now?: () => number;
  log?: (message: string) => void;
}

interface CachedGate {
  opensAt: number;
  readAt: number;
  reading?: Promise<number>;
}

/**
 * The `SharedLimits` port over the database: gates in `account_gates`, the process count from
 * `runtime_workers` (fed by the heartbeat, see install-shared-limits.ts). Reads are cached briefly
 * so a request costs no query; a closure this process learns applies here at once and is written
 * in the background, reaching the other processes at their next read (within `cacheMs` plus the
 * write). A gate's time only ever moves later, so the cache keeps the latest time it knows.
 */
export class DbSharedLimits implements SharedLimits {
  private readonly gates = new Map<string, CachedGate>();
  private readonly writes = new Set<Promise<void>>();
  private live: readonly string[] = [];
  private lastBeat = Number.NEGATIVE_INFINITY;
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly db: Db,
    private readonly options: DbSharedLimitsOptions,
  ) {
    this.cacheMs = options.cacheMs ?? GATE_CACHE_MS;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((m: string) => console.error(m));
  }

  gateOpensAt(key: string): number | Promise<number> {
    const now = this.now();
    let gate = this.gates.get(key);
    // While the gate is known closed there is nothing to read: the caller waits, then asks again.
    if (gate && (gate.opensAt > now || now - gate.readAt < this.cacheMs)) return gate.opensAt;
    if (gate?.reading) return gate.reading;
    if (!gate) {
      gate = { opensAt: 0, readAt: Number.NEGATIVE_INFINITY };
      this.gates.set(key, gate);
    }
    const entry = gate;
    // One read per key at a time, however many requests ask; a failed read answers what was known.
    entry.reading = accountGateOpensAt(this.db, key)
      .then(
        (opensAt) => {
          entry.opensAt = Math.max(entry.opensAt, opensAt);
        },
        (err: unknown) => this.warn('reading an account gate', err),
      )
      .then(() => {
        entry.readAt = this.now();
        delete entry.reading;
        return entry.opensAt;
      });
    return entry.reading;
  }

  closeGate(key: string, until: number): void {
    let gate = this.gates.get(key);
    if (!gate) {
      gate = { opensAt: 0, readAt: Number.NEGATIVE_INFINITY };
      this.gates.set(key, gate);
    }
    if (until <= gate.opensAt) return; // already known here, so already written (or being written)
    gate.opensAt = until;
    const write = closeAccountGate(this.db, key, until, this.now())
      .catch((err: unknown) => this.warn('recording an account gate', err))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  shareOf(cap: number): number {
    // Unseen by the others (heartbeat failing or not yet written): they may have taken our part.
    if (this.now() - this.lastBeat > this.options.expiryMs) return 1;
    return shareOfCap(cap, this.live, this.options.workerId);
  }

  /** The live workers the last heartbeat saw; `beatAt` is when this process's own heartbeat was written. */
  setLiveWorkers(ids: readonly string[], beatAt: number): void {
    this.live = ids;
    this.lastBeat = beatAt;
  }

  /** Ids of the live workers as last seen (for diagnostics and tests). */
  get liveWorkers(): readonly string[] {
    return this.live;
  }

  /** Waits for the closures still being written (before a shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  /** Forgets gates that have opened (the cache stays as small as the accounts in use). */
  forgetOpenGates(): void {
    const now = this.now();
    for (const [key, gate] of this.gates) if (gate.opensAt <= now && !gate.reading) this.gates.delete(key);
  }

  private warn(what: string, err: unknown): void {
    // Only the error's name and message, at most every 30 s: a database outage must not flood the log.
    const now = this.now();
    if (now - this.lastLoggedAt < 30_000) return;
    this.lastLoggedAt = now;
    this.log(`shared limits: ${what} failed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}`);
  }
}
