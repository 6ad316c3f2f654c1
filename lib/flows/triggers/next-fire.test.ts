import { describe, expect, it } from 'vitest';
import { collapseMissed, nextFireAt } from './next-fire';

const paris = (cron: string) => ({ mode: 'cron' as const, cron, timeZone: 'Europe/Paris' });

describe('next fire of a schedule', () => {
  it('interval: from the previous scheduled fire, no drift', () => {
    const next = nextFireAt({ mode: 'interval', everySeconds: 300 }, new Date('2026-12-02T10:00:00Z'));
    expect(next?.toISOString()).toBe('2026-12-02T10:05:00.000Z');
  });

  it('cron in Europe/Paris: 09:00 local is 08:00 UTC in winter and 07:00 UTC in summer', () => {
    expect(nextFireAt(paris('0 9 * * *'), new Date('2026-12-02T10:00:00Z'))?.toISOString()).toBe('2026-12-03T08:00:00.000Z');
    expect(nextFireAt(paris('0 9 * * *'), new Date('2026-07-01T10:00:00Z'))?.toISOString()).toBe('2026-07-02T07:00:00.000Z');
  });

  it('cron across the spring-forward (29 March 2026, 02:00→03:00 in Paris): 02:30 runs once, the next day as usual', () => {
    const first = nextFireAt(paris('30 2 * * *'), new Date('2026-03-28T12:00:00Z'));
    expect(first).not.toBeNull();
    // The skipped 02:30 local fires once that day (croner moves it into the valid hour), never twice.
    expect(first!.toISOString().slice(0, 10)).toBe('2026-03-29');
    const second = nextFireAt(paris('30 2 * * *'), first!);
    expect(second?.toISOString()).toBe('2026-03-30T00:30:00.000Z');
  });

  it('cron across the fall-back (25 October 2026, 03:00→02:00): 02:30 fires once that night', () => {
    const first = nextFireAt(paris('30 2 * * *'), new Date('2026-10-24T12:00:00Z'));
    expect(first?.toISOString().slice(0, 10)).toBe('2026-10-25');
    const second = nextFireAt(paris('30 2 * * *'), first!);
    expect(second?.toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });

  it('missed fires after downtime collapse into one run for the latest; the next is after now', () => {
    const every5 = { mode: 'interval' as const, everySeconds: 300 };
    const { scheduledFor, next } = collapseMissed(every5, new Date('2026-12-02T10:00:00Z'), new Date('2026-12-02T10:17:00Z'));
    expect(scheduledFor.toISOString()).toBe('2026-12-02T10:15:00.000Z');
    expect(next?.toISOString()).toBe('2026-12-02T10:20:00.000Z');
  });
});
