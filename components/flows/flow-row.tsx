'use client';

import Link from 'next/link';
import { RunModeBadge } from '@/components/runs/run-mode-badge';
import { RunStatusBadge } from '@/components/runs/run-status-badge';
import { Icon } from '@/components/ui/icon';
import type { FlowListItem } from '@/lib/flows/service/flow-list-item';
import { formatDateTime, formatRelativeTime } from '@/lib/runs/format-relative-time';
import { FlowMenu, type FlowMenuHandlers } from './flow-menu';
import { FlowStateBadge } from './flow-state-badge';
import { FlowTriggerLabel } from './flow-trigger-label';
import { RunsSparkline } from './runs-sparkline';

function Accounts({ accounts }: { accounts: FlowListItem['accounts'] }) {
  if (accounts.length === 0) return <span className="text-xs text-slate-500 dark:text-slate-400">None</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Accounts used">
      {accounts.map((a) => (
        <li
          key={a.id}
          title={a.name === null ? 'This account was removed' : a.needsReconnect ? `${a.name} needs reconnecting` : undefined}
          className={`max-w-40 truncate rounded-md px-1.5 py-0.5 text-xs ring-1 ring-inset ${
            a.name === null
              ? 'bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-950 dark:text-red-200'
              : a.needsReconnect
                ? 'bg-amber-50 text-amber-900 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-200'
                : 'bg-slate-50 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-700'
          }`}
        >
          {a.name ?? 'Removed account'}
          {a.needsReconnect && <span className="sr-only"> (needs reconnecting)</span>}
        </li>
      ))}
    </ul>
  );
}

function LastRun({ flow, now }: { flow: FlowListItem; now: number }) {
  const run = flow.lastRun;
  if (!run) return <span className="text-xs text-slate-500 dark:text-slate-400">Never run</span>;
  return (
    <div className="flex flex-col items-start gap-1" data-testid="flow-last-run">
      <span className="flex items-center gap-1.5">
        <RunStatusBadge status={run.status} />
        {run.mode === 'test' && <RunModeBadge mode="test" />}
      </span>
      <Link
        href={`/runs/${run.id}`}
        title={formatDateTime(run.createdAt)}
        className="relative z-10 text-xs text-slate-600 underline decoration-slate-300 underline-offset-2 hover:text-brand-700 dark:text-slate-400 dark:decoration-slate-600"
      >
        <span className="sr-only">Last run of {flow.name}, </span>
        {formatRelativeTime(run.createdAt, now)}
      </Link>
    </div>
  );
}

function Last24h({ flow }: { flow: FlowListItem }) {
  const w = flow.last24h;
  return (
    <div className="flex items-center gap-3">
      <span className="hidden sm:block">
        <RunsSparkline window={w} />
      </span>
      <Link
        href={`/flows/${flow.id}/runs`}
        data-testid="flow-runs-24h"
        className="relative z-10 whitespace-nowrap text-xs leading-tight text-slate-600 hover:text-brand-700 dark:text-slate-400"
      >
        <span className="sr-only">Runs of {flow.name}: </span>
        <span className="block font-medium text-slate-800 dark:text-slate-200">{w.runs === 1 ? '1 run' : `${w.runs} runs`}</span>
        <span className={`block ${w.failed > 0 ? 'font-medium text-red-700 dark:text-red-300' : ''}`}>{w.failed} failed</span>
      </Link>
    </div>
  );
}

/** One flow on the dashboard: the name opens it in the editor; the menu holds everything else. */
export function FlowRow({ flow, now, busy, handlers }: { flow: FlowListItem; now: number; busy: boolean; handlers: FlowMenuHandlers }) {
  const showUnpublished = flow.hasUnpublishedChanges && flow.publishedVersion !== null;
  return (
    <tr data-testid="flow-row" data-flow-id={flow.id} className="relative align-middle hover:bg-slate-50 dark:hover:bg-slate-800/40">
      <td className="py-3 pl-4 pr-3 sm:w-[34%] sm:max-w-0">
        <div className="flex items-center gap-3">
          <span
            aria-hidden="true"
            className="hidden h-9 w-9 shrink-0 items-center justify-center rounded-lg bg-brand-50 text-brand-600 sm:flex dark:bg-slate-800 dark:text-brand-500"
          >
            <Icon name="flows" className="h-5 w-5" />
          </span>
          <div className="min-w-0">
            <p className="flex items-center gap-2">
              <Link
                href={`/flows/${flow.id}`}
                className="break-words font-medium text-slate-900 after:absolute sm:truncate after:inset-0 hover:text-brand-700 dark:text-slate-100 dark:hover:text-white"
                data-testid="flow-name"
              >
                {flow.name}
              </Link>
              {showUnpublished && (
                <span
                  data-testid="flow-unpublished"
                  title="The draft has changes that live runs do not use yet. Start the flow again to use them."
                  className="shrink-0 rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-inset ring-violet-600/20 dark:bg-violet-950 dark:text-violet-200"
                >
                  Unpublished changes
                </span>
              )}
            </p>
            <p className="mt-0.5 flex flex-wrap items-center gap-x-1.5 text-xs text-slate-600 dark:text-slate-400">
              <FlowTriggerLabel type={flow.trigger?.type} />
              <span aria-hidden="true">·</span>
              <span title={formatDateTime(flow.updatedAt)}>Changed {formatRelativeTime(flow.updatedAt, now)}</span>
            </p>
            <div className="mt-1.5 md:hidden">
              <FlowStateBadge state={flow.state} problemCount={flow.problemCount} compact />
            </div>
          </div>
        </div>
      </td>
      <td className="hidden px-3 py-3 md:table-cell">
        <FlowStateBadge state={flow.state} problemCount={flow.problemCount} />
      </td>
      <td className="hidden px-3 py-3 text-sm lg:table-cell">
        <Accounts accounts={flow.accounts} />
      </td>
      <td className="hidden px-3 py-3 sm:table-cell">
        <LastRun flow={flow} now={now} />
      </td>
      <td className="px-3 py-3">
        <Last24h flow={flow} />
      </td>
      <td className="w-12 py-3 pl-1 pr-3 text-right">
        <FlowMenu flow={flow} busy={busy} handlers={handlers} />
      </td>
    </tr>
  );
}
