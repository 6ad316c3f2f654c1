import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRelativeTime } from './format-relative-time';

const now = Date.parse('2026-03-10T12:00:00.000Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('formatRelativeTime', () => {
  it('says just now within the last few seconds, either side', () => {
    expect(formatRelativeTime(ago(0), now)).toBe('just now');
    expect(formatRelativeTime(ago(44_000), now)).toBe('just now');
    expect(formatRelativeTime(ago(-10_000), now)).toBe('just now');
  });

  it('picks the largest whole unit', () => {
    expect(formatRelativeTime(ago(50_000), now)).toBe('1 minute ago');
    expect(formatRelativeTime(ago(5 * 60_000), now)).toBe('5 minutes ago');
    expect(formatRelativeTime(ago(3 * 3_600_000 + 59 * 60_000), now)).toBe('3 hours ago');
    expect(formatRelativeTime(ago(26 * 3_600_000), now)).toBe('yesterday');
    expect(formatRelativeTime(ago(15 * 24 * 3_600_000), now)).toBe('2 weeks ago');
    expect(formatRelativeTime(ago(400 * 24 * 3_600_000), now)).toBe('last year');
    expect(formatRelativeTime(ago(-2 * 3_600_000), now)).toBe('in 2 hours');
  });

  it('gives a dash for no time or a time it cannot read', () => {
    expect(formatRelativeTime(null, now)).toBe('—');
    expect(formatRelativeTime('not a date', now)).toBe('—');
  });
});

describe('formatDateTime', () => {
  it('shows the date and the time of day', () => {
    const text = formatDateTime('2026-03-10T12:00:00.000Z');
    expect(text).toMatch(/2026/);
    expect(text).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    expect(formatDateTime(undefined)).toBe('—');
    expect(formatDateTime('nope')).toBe('—');
  });
});
