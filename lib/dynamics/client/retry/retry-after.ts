/**
 * `Retry-After` is integer seconds on Dataverse's 429 answers; an HTTP date is accepted too.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
