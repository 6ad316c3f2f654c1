import { describe, expect, it } from 'vitest';
import { ticks, timelineGeometry, type TimedStep } from './timeline-geometry';

const t0 = Date.parse('2026-03-10T12:00:00.000Z');
const at = (ms: number) => new Date(t0 + ms).toISOString();
const step = (status: string, from: number | null, to: number | null, durationMs: number | null = null): TimedStep => ({
  status,
  startedAt: from === null ? null : at(from),
  finishedAt: to === null ? null : at(to),
  durationMs,
});

describe('timelineGeometry', () => {
  it('places each step by its start and duration, the run spanning the whole width', () => {
    const g = timelineGeometry(
      { startedAt: at(0), finishedAt: at(1_000) },
      [step('succeeded', 0, 250), step('failed', 500, 1_000)],
      t0 + 5_000,
    );
    expect(g.spanMs).toBe(1_000);
    expect(g.bars[0]).toMatchObject({ offsetPct: 0, widthPct: 25, startMs: 0, durationMs: 250, running: false });
    expect(g.bars[1]).toMatchObject({ offsetPct: 50, widthPct: 50, startMs: 500, durationMs: 500 });
  });

  it('gives a step that took no time a visible minimum width, kept inside the axis', () => {
    const g = timelineGeometry({ startedAt: at(0), finishedAt: at(10_000) }, [step('succeeded', 10_000, 10_000)], t0);
    const bar = g.bars[0]!;
    expect(bar.widthPct).toBeGreaterThan(0);
    expect(bar.offsetPct + bar.widthPct).toBeLessThanOrEqual(100);
    expect(bar.durationMs).toBe(0);
  });

  it('lets a running step and an unfinished run grow up to now', () => {
    const g = timelineGeometry({ startedAt: at(0), finishedAt: null }, [step('succeeded', 0, 100), step('running', 100, null)], t0 + 400);
    expect(g.spanMs).toBe(400);
    expect(g.bars[1]).toMatchObject({ startMs: 100, durationMs: 300, running: true, offsetPct: 25, widthPct: 75 });
  });

  it('stretches the axis to a step that ends after the run says it ended', () => {
    const g = timelineGeometry({ startedAt: at(0), finishedAt: at(100) }, [step('succeeded', 50, 200)], t0);
    expect(g.spanMs).toBe(200);
    expect(g.bars[0]!.widthPct).toBe(75);
  });

  it('uses the recorded duration when a step has a start but no end', () => {
    const g = timelineGeometry({ startedAt: at(0), finishedAt: at(1_000) }, [step('succeeded', 200, null, 300)], t0);
    expect(g.bars[0]).toMatchObject({ startMs: 200, durationMs: 300 });
  });

  it('prefers the recorded duration over the finish time, so the bar matches what the step card says', () => {
    const g = timelineGeometry({ startedAt: at(0), finishedAt: at(1_000) }, [step('succeeded', 100, 600, 200)], t0);
    expect(g.bars[0]).toMatchObject({ startMs: 100, durationMs: 200, widthPct: 20 });
  });

  it('draws no bar for a skipped step and nothing at all for a run that has not started', () => {
    expect(timelineGeometry({ startedAt: at(0), finishedAt: at(10) }, [step('skipped', null, null)], t0).bars).toEqual([null]);
    const queued = timelineGeometry({ startedAt: null, finishedAt: null }, [], t0);
    expect(queued.bars).toEqual([]);
    expect(queued.ticks).toEqual([]);
  });

  it('falls back to the first step start when the run has no start time', () => {
    const g = timelineGeometry({ startedAt: null, finishedAt: null }, [step('succeeded', 100, 300)], t0 + 300);
    expect(g.bars[0]).toMatchObject({ startMs: 0, durationMs: 200 });
  });
});

describe('ticks', () => {
  it('steps in round numbers from zero, at most six intervals', () => {
    expect(ticks(1_000).map((t) => t.ms)).toEqual([0, 200, 400, 600, 800, 1_000]);
    expect(ticks(35).map((t) => t.ms)).toEqual([0, 10, 20, 30]);
    expect(ticks(1).map((t) => t.ms)).toEqual([0, 1]);
    expect(ticks(90_000).map((t) => t.ms)).toEqual([0, 20_000, 40_000, 60_000, 80_000]);
    for (const span of [1, 7, 42, 999, 1_234, 60_000, 3_600_001]) {
      const list = ticks(span);
      expect(list.length).toBeGreaterThanOrEqual(2);
      expect(list.length).toBeLessThanOrEqual(7);
      expect(list.every((t) => Number.isInteger(t.ms))).toBe(true);
      expect(list[0]).toEqual({ ms: 0, pct: 0 });
      expect(list.at(-1)!.pct).toBeLessThanOrEqual(100);
    }
  });

  it('has none for an empty span', () => {
    expect(ticks(0)).toEqual([]);
  });
});
