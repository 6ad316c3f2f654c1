'use client';

import type { RunModeFilter, RunStatusFilter } from './run-keys';

const STATUSES: { value: RunStatusFilter | undefined; label: string }[] = [
  { value: undefined, label: 'All' },
  { value: 'running', label: 'Running' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'queued', label: 'Queued' },
  { value: 'cancelled', label: 'Cancelled' },
];

export function parseStatusFilter(value: string | null): RunStatusFilter | undefined {
  return STATUSES.find((s) => s.value === value)?.value;
}

export function parseModeFilter(value: string | null): RunModeFilter | undefined {
  return value === 'live' || value === 'test' ? value : undefined;
}

/** Status as a row of toggle buttons (one click to see only failures), mode as a small select. */
export function RunFilters({
  status,
  mode,
  onChange,
}: {
  status: RunStatusFilter | undefined;
  mode: RunModeFilter | undefined;
  onChange: (next: { status: RunStatusFilter | undefined; mode: RunModeFilter | undefined }) => void;
}) {
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
      <div role="group" aria-label="Show runs by status" className="flex flex-wrap gap-1 rounded-lg bg-slate-100 p-1 dark:bg-slate-800/60">
        {STATUSES.map((s) => {
          const active = s.value === status;
          return (
            <button
              key={s.label}
              type="button"
              aria-pressed={active}
              onClick={() => onChange({ status: s.value, mode })}
              className={`rounded-md px-3 py-1 text-sm font-medium transition-colors ${
                active
                  ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-900 dark:text-white'
                  : 'text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100'
              }`}
            >
              {s.label}
            </button>
          );
        })}
      </div>
      <div className="flex items-center gap-2">
        <label htmlFor="run-mode" className="text-sm text-slate-600 dark:text-slate-400">
          Runs
        </label>
        <select
          id="run-mode"
          value={mode ?? ''}
          onChange={(e) => onChange({ status, mode: parseModeFilter(e.target.value) })}
          className="field-input w-auto py-1.5"
        >
          <option value="">Live and test</option>
          <option value="live">Live only</option>
          <option value="test">Test only</option>
        </select>
      </div>
    </div>
  );
}
