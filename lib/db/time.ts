/** The current time in the one timestamp format stored everywhere (ISO-8601, UTC, ms). */
export function nowIso(): string {
  return new Date().toISOString();
}

/**
 * Normalises a caller-supplied timestamp to the stored format, so text comparison in SQL
 * (`expires_at > now`) orders correctly on both databases. Throws RangeError on an invalid date.
 */
export function toIsoTimestamp(value: string | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`invalid timestamp: ${String(value)}`);
  return date.toISOString();
}
