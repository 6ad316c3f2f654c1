/**
 * The per-account `Retry-After` gate: when Dataverse answers 429 with `Retry-After`, no request
 * of that account is sent before that time, whichever client or call it belongs to (sending early
 * only extends the throttling).
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
 */
import type { Clock } from '../clock';

export class AccountGate {
  private openAt = 0;

  /** Closes the gate until `until` (epoch ms); a later time wins. */
  closeUntil(until: number): void {
    if (until > this.openAt) this.openAt = until;
  }

  isOpen(now: number): boolean {
    return now >= this.openAt;
  }

  /** Epoch ms at which the gate opens (0 when it never closed). */
  get opensAt(): number {
    return this.openAt;
  }

  /** Waits until the gate is open (re-checking: it may close again while waiting). */
  async pass(clock: Clock, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.openAt - clock.now();
      if (wait <= 0) return;
      await clock.sleep(wait, signal);
    }
  }
}
