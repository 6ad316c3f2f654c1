'use client';

import Link from 'next/link';
import { Icon } from '@/components/ui/icon';
import type { FlowSummary } from '@/lib/flows/service/flow-view';
import { formatDateTime, formatRelativeTime } from '@/lib/runs/format-relative-time';
import { FlowStatusBadge } from './flow-status-badge';
import { FlowTriggerLabel } from './flow-trigger-label';

/** One flow in the list: the whole row opens it in the editor; "Runs" opens its run history. */
export function FlowRow({ flow, now }: { flow: FlowSummary; now: number }) {
  const showUnpublished = flow.hasUnpublishedChanges && flow.publishedVersion !== null;
  return (
    <li
      data-testid="flow-row"
      data-flow-id={flow.id}
      className="relative flex items-center gap-4 px-4 py-3.5 hover:bg-slate-50 dark:hover:bg-slate-800/50"
    >
      <span
        aria-hidden="true"
        className="hidden h-9 w-9 shrink-0 items-center justify-center rounded-lg bg-brand-50 text-brand-600 sm:flex dark:bg-slate-800 dark:text-brand-500"
      >
        <Icon name="flows" className="h-5 w-5" />
      </span>
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2">
          <Link
            href={`/flows/${flow.id}`}
            className="truncate font-medium text-slate-900 after:absolute after:inset-0 hover:text-brand-700 dark:text-slate-100 dark:hover:text-white"
            data-testid="flow-name"
          >
            {flow.name}
          </Link>
          <FlowStatusBadge status={flow.status} />
          {showUnpublished && (
            <span
              data-testid="flow-unpublished"
              title="The draft has changes that live runs do not use yet. Start the flow again to use them."
              className="rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-inset ring-violet-600/20 dark:bg-violet-950 dark:text-violet-200"
            >
              Unpublished changes
            </span>
          )}
        </p>
        <p className="mt-1 flex flex-wrap items-center gap-x-2 text-xs text-slate-600 dark:text-slate-400">
          <FlowTriggerLabel flowId={flow.id} />
          <span aria-hidden="true">·</span>
          <span title={formatDateTime(flow.updatedAt)}>Changed {formatRelativeTime(flow.updatedAt, now)}</span>
          {flow.description && (
            <>
              <span aria-hidden="true">·</span>
              <span className="max-w-md truncate">{flow.description}</span>
            </>
          )}
        </p>
      </div>
      <Link href={`/flows/${flow.id}/runs`} className="btn-secondary relative z-10 shrink-0 py-1.5" aria-label={`Runs of ${flow.name}`}>
        <Icon name="clock" className="h-4 w-4" />
        Runs
      </Link>
    </li>
  );
}
