const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3_600_000],
  ['month', 30 * 24 * 3_600_000],
  ['week', 7 * 24 * 3_600_000],
  ['day', 24 * 3_600_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * "just now", "5 minutes ago", "yesterday", "in 2 hours": how long ago a timestamp was, measured
 * against `now` (passed in so a list renders every row against the same instant). Null or an
 * unreadable timestamp gives a dash.
 */
export function formatRelativeTime(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const diff = at - now;
  if (Math.abs(diff) < 45_000) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return relative.format(Math.trunc(diff / size), unit);
  }
  return relative.format(Math.trunc(diff / 60_000) || Math.sign(diff), 'minute');
}

/** The exact local date and time, for a tooltip or a detail line next to a relative time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '—';
  return at.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'medium' });
}
