/**
 * The port through which an account's limits hold across the whole installation (several worker
 * processes on one database): the `Retry-After` gate and each process's share of the concurrency
 * cap. The client only knows this interface; lib/flows/runtime/limits implements it over storage and
 * installs it once per process with `setSharedLimits`, so every client created afterwards (also
 * through `getClientForAccount`) obeys it. Without one installed (the embedded mode: one process) the
 * limits are this process's alone and no request costs a database round trip.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
 */
import { processSlot } from '../../../process-singleton';

export interface SharedLimits {
  /**
   * Epoch ms at which the installation-wide gate of `key` (an account's environment and principal,
   * throttle/limit-key.ts) opens (0 or a past time: open). Asked before every request, so an
   * implementation answers from a cache when it can (a number) and reads storage only when its
   * cache is stale (a promise). Never rejects: on a storage failure it answers what it last knew.
   */
  gateOpensAt(key: string): number | Promise<number>;
  /** Publishes a closure this process saw (429, `Retry-After`); the later time wins. Never throws. */
  closeGate(key: string, until: number): void;
  /** This process's share of an account's concurrency cap: between 1 and `cap`. */
  shareOf(cap: number): number;
}

const slot = processSlot<SharedLimits>('shared-account-limits');

/** Installs (or, with `undefined`, removes) this process's shared limits; existing clients pick them up at their next request. */
export function setSharedLimits(limits: SharedLimits | undefined): void {
  slot.set(limits);
}

/** The shared limits installed in this process, if any. */
export function sharedLimits(): SharedLimits | undefined {
  return slot.get();
}
