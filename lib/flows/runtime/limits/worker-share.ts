/**
 * This process's part of an account's concurrency cap when `liveIds` processes share it: the cap
 * split evenly, the remainder going to the first processes in id order (every process sorts the
 * same way), so the parts add up to the cap exactly — 8 over 3 processes is 3 + 3 + 2. Never below
 * 1, so every process makes progress: with more live processes than the cap, the installation may
 * hold one request per process in flight (more than the cap).
 */
export function shareOfCap(cap: number, liveIds: readonly string[], selfId: string): number {
  const others = liveIds.filter((id) => id !== selfId);
  // This process counts even before its first heartbeat is visible.
  const ids = [...others, selfId].sort();
  const n = ids.length;
  const rank = ids.indexOf(selfId);
  const share = Math.floor(cap / n) + (rank < cap % n ? 1 : 0);
  return Math.max(1, Math.min(cap, share));
}
