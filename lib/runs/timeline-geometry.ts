/** What the timeline needs of a step: when it started and ended (ISO), or how long it took. */
export interface TimedStep {
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface TimelineBar {
  /** Where the bar starts, in percent of the timeline's width. */
  offsetPct: number;
  /** How wide it is, in percent; never below the minimum, so a 1 ms step can still be seen and hovered. */
  widthPct: number;
  /** Milliseconds from the run's start to the step's start. */
  startMs: number;
  durationMs: number;
  /** Still busy: its end is "now" and grows with the next render. */
  running: boolean;
}

export interface TimelineTick {
  pct: number;
  ms: number;
}

export interface TimelineGeometry {
  /** The whole timeline in milliseconds (at least 1). */
  spanMs: number;
  /** One per step, in the steps' order; null for a step that never started (skipped). */
  bars: (TimelineBar | null)[];
  ticks: TimelineTick[];
}

const MIN_WIDTH_PCT = 0.75;

/**
 * Lays the steps of a run out on one time axis: the run's start is 0 and the latest end (the run's,
 * a step's, or `now` while something is still running) is 100 %. Pure, so the bars can be tested
 * without a browser and redrawn on every live event.
 */
export function timelineGeometry(
  run: { startedAt: string | null; finishedAt: string | null },
  steps: readonly TimedStep[],
  now: number,
): TimelineGeometry {
  const starts = steps.map((s) => parse(s.startedAt));
  const origin = parse(run.startedAt) ?? min(starts);
  if (origin === null) return { spanMs: 1, bars: steps.map(() => null), ticks: [] };

  const ends = steps.map((s, i) => stepEnd(s, starts[i] ?? null, now));
  const runEnd = parse(run.finishedAt) ?? (ends.some((e) => e !== null) || steps.some(isRunning) ? null : now);
  const latest = Math.max(origin, runEnd ?? origin, ...ends.filter((e): e is number => e !== null));
  const spanMs = Math.max(1, latest - origin);

  const bars = steps.map((step, i): TimelineBar | null => {
    const start = starts[i];
    const end = ends[i];
    if (start === null || start === undefined || end === null || end === undefined) return null;
    const startMs = Math.max(0, start - origin);
    const durationMs = Math.max(0, end - start);
    const widthPct = Math.min(100, Math.max(MIN_WIDTH_PCT, (durationMs / spanMs) * 100));
    // A bar widened to its minimum at the very end of the axis would overflow: move it left instead.
    const offsetPct = Math.min((startMs / spanMs) * 100, 100 - widthPct);
    return { offsetPct, widthPct, startMs, durationMs, running: isRunning(step) && step.finishedAt === null };
  });

  return { spanMs, bars, ticks: ticks(spanMs) };
}

/**
 * Round tick steps (1, 2 or 5 times a power of ten, at least 1 ms) over the span, 0 included: at most
 * six intervals, so the labels fit a narrow screen.
 */
export function ticks(spanMs: number): TimelineTick[] {
  if (!(spanMs > 0)) return [];
  const power = 10 ** Math.floor(Math.log10(spanMs / 5));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => spanMs / s <= 6) ?? power * 10);
  const out: TimelineTick[] = [];
  // Multiplying (not adding up) keeps 0.1 + 0.2 style drift out of the labels.
  for (let i = 0; i * step <= spanMs; i++) out.push({ ms: i * step, pct: ((i * step) / spanMs) * 100 });
  return out;
}

function isRunning(step: TimedStep): boolean {
  return step.status === 'running';
}

function stepEnd(step: TimedStep, start: number | null, now: number): number | null {
  if (start === null) return null;
  // The recorded duration is the step's own work (what its card shows); finishedAt also counts saving
  // the result. Prefer the former so the bar and the card agree; the gaps between bars show the rest.
  if (step.durationMs !== null && Number.isFinite(step.durationMs)) return start + Math.max(0, step.durationMs);
  const finished = parse(step.finishedAt);
  if (finished !== null) return Math.max(start, finished);
  return isRunning(step) ? Math.max(start, now) : start;
}

function parse(iso: string | null): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : at;
}

function min(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.min(...known);
}
