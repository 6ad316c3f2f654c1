'use client';

import type { RunStepView, RunView } from '@/lib/flows/service/run-view';
import { formatDuration } from '@/lib/runs/format-duration';
import { timelineGeometry } from '@/lib/runs/timeline-geometry';
import { runStatusText } from './run-status-badge';
import { stepLabel } from './step-label';

const BAR_TONE: Record<string, string> = {
  succeeded: 'bg-emerald-500 dark:bg-emerald-400',
  failed: 'bg-red-500 dark:bg-red-400',
  running: 'bg-sky-500 dark:bg-sky-400 animate-pulse',
  skipped: 'bg-slate-300 dark:bg-slate-600',
};

/**
 * The run drawn on one time axis: a bar per step attempt, placed by when it started and as long as
 * it took, so waits, retries and the slow step stand out at a glance. Each row also says it in words.
 */
export function RunTimeline({
  run,
  names,
  now,
  onSelect,
}: {
  run: RunView;
  names: Map<string, string>;
  now: number;
  onSelect?: (step: RunStepView) => void;
}) {
  const geometry = timelineGeometry(run, run.steps, now);
  if (run.steps.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No step has started yet.</p>;
  }
  return (
    <div data-testid="run-timeline">
      {/* On a phone each label sits above its bar, so the bars keep the full width. */}
      <div className="grid grid-cols-1 gap-x-3 sm:grid-cols-[minmax(7rem,12rem)_1fr]">
        <span className="hidden sm:block" />
        <div className="relative mb-1 h-5 text-[11px] tabular-nums text-slate-600 dark:text-slate-400" aria-hidden="true">
          {geometry.ticks.map((tick, i) => (
            <span
              key={tick.ms}
              className="absolute top-0 -translate-x-1/2 whitespace-nowrap first:translate-x-0"
              style={{
                left: `${tick.pct}%`,
                ...(i === geometry.ticks.length - 1 && tick.pct > 90 ? { transform: 'translateX(-100%)' } : {}),
              }}
            >
              {formatDuration(tick.ms)}
            </span>
          ))}
        </div>
      </div>
      <ol className="space-y-1.5">
        {run.steps.map((step, i) => {
          const bar = geometry.bars[i];
          const label = stepLabel(step, names);
          const words = bar
            ? `started after ${formatDuration(bar.startMs)}, ${bar.running ? 'running for' : 'took'} ${formatDuration(bar.durationMs)}`
            : 'did not run';
          return (
            <li
              key={`${step.stepId}-${step.attempt}`}
              className="grid grid-cols-1 gap-x-3 sm:grid-cols-[minmax(7rem,12rem)_1fr] sm:items-center"
              data-testid="timeline-row"
            >
              <button
                type="button"
                onClick={() => onSelect?.(step)}
                aria-label={`${label}${step.attempt > 1 ? `, try ${step.attempt}` : ''}, ${runStatusText(step.status).toLowerCase()}, ${words}. Show its result.`}
                className="truncate text-left text-xs font-medium text-slate-700 hover:text-brand-700 hover:underline dark:text-slate-300 dark:hover:text-white"
                title={label}
              >
                {label}
                {step.attempt > 1 && <span className="font-normal text-slate-500"> · try {step.attempt}</span>}
              </button>
              <div className="relative h-5 rounded bg-slate-100 dark:bg-slate-800/70" aria-hidden="true">
                {geometry.ticks.map((tick) => (
                  <span key={tick.ms} className="absolute inset-y-0 w-px bg-slate-200 dark:bg-slate-700" style={{ left: `${tick.pct}%` }} />
                ))}
                {bar && (
                  <span
                    data-testid="timeline-bar"
                    title={`${label}: ${words}`}
                    className={`absolute inset-y-1 rounded-sm ${BAR_TONE[step.status] ?? 'bg-slate-400'}`}
                    style={{ left: `${bar.offsetPct}%`, width: `${bar.widthPct}%` }}
                  />
                )}
              </div>
            </li>
          );
        })}
      </ol>
      <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">
        The whole run: {formatDuration(geometry.spanMs)}
        {run.status === 'running' ? ' so far' : ''}.
      </p>
    </div>
  );
}
