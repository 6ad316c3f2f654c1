'use client';

import Link from 'next/link';
import { Icon } from '@/components/ui/icon';
import type { RunSummary } from '@/lib/flows/service/run-view';
import { formatDuration } from '@/lib/runs/format-duration';
import { formatDateTime, formatRelativeTime } from '@/lib/runs/format-relative-time';
import { nodeTypeLabel } from '@/lib/runs/node-type-label';
import { RunModeBadge } from './run-mode-badge';
import { RunStatusBadge } from './run-status-badge';

/** The grid both the header and each row use, so the columns line up. */
export const RUN_ROW_GRID =
  'grid grid-cols-[6.5rem_1fr_auto] items-center gap-x-3 sm:gap-x-4 sm:grid-cols-[7.5rem_minmax(9rem,1.2fr)_6rem_minmax(8rem,1fr)_4rem_1.25rem]';

function running(run: RunSummary, now: number): number | null {
  if (run.durationMs !== null) return run.durationMs;
  return run.status === 'running' && run.startedAt ? Math.max(0, now - Date.parse(run.startedAt)) : null;
}

export function RunRow({ run, now }: { run: RunSummary; now: number }) {
  const started = run.startedAt ?? run.createdAt;
  return (
    <li data-testid="run-row" data-run-id={run.id}>
      <Link href={`/runs/${run.id}`} className={`${RUN_ROW_GRID} px-4 py-3 text-sm hover:bg-slate-50 dark:hover:bg-slate-800/50`}>
        <span>
          <RunStatusBadge status={run.status} />
        </span>
        <span className="min-w-0">
          <span className="block truncate font-medium text-slate-900 dark:text-slate-100" title={formatDateTime(started)}>
            {run.startedAt ? `Started ${formatRelativeTime(run.startedAt, now)}` : `Queued ${formatRelativeTime(run.createdAt, now)}`}
          </span>
          <span className="hidden truncate text-xs text-slate-600 sm:block dark:text-slate-400">{formatDateTime(started)}</span>
          <span className="block truncate text-xs text-slate-600 sm:hidden dark:text-slate-400">
            {/* The duration first: the trigger name is what gets cut on a narrow screen. */}
            {formatDuration(running(run, now))}
            {run.mode === 'test' ? ' · Test' : ''} · {nodeTypeLabel(run.triggerKind)}
          </span>
          {run.rerunOf && <span className="block text-xs text-slate-600 dark:text-slate-400">Re-run of an earlier run</span>}
        </span>
        <span className="hidden tabular-nums text-slate-700 sm:block dark:text-slate-300" data-testid="run-duration">
          {formatDuration(running(run, now))}
        </span>
        <span className="hidden truncate text-slate-700 sm:block dark:text-slate-300">{nodeTypeLabel(run.triggerKind)}</span>
        <span className="hidden sm:block">
          <RunModeBadge mode={run.mode} />
        </span>
        <Icon name="chevron" className="h-4 w-4 justify-self-end text-slate-400" />
      </Link>
    </li>
  );
}
