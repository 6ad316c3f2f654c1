import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration';

describe('formatDuration', () => {
  it('shows nothing to read as a dash', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('keeps milliseconds under a second', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(999)).toBe('999 ms');
  });

  it('gives one decimal under ten seconds, never rounding up past what elapsed', () => {
    expect(formatDuration(1_000)).toBe('1.0 s');
    expect(formatDuration(1_260)).toBe('1.2 s');
    expect(formatDuration(9_999)).toBe('9.9 s');
  });

  it('uses whole seconds, then two units at most', () => {
    expect(formatDuration(10_000)).toBe('10 s');
    expect(formatDuration(59_999)).toBe('59 s');
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3_600_000)).toBe('1 h');
    expect(formatDuration(3_780_000)).toBe('1 h 3 min');
    expect(formatDuration(26 * 3_600_000)).toBe('1 d 2 h');
  });
});
