'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { FlowStatusBadge } from '@/components/flows/flow-status-badge';
import { useFlow } from '@/components/flows/use-flow';
import { EmptyState } from '@/components/ui/empty-state';
import { FormError } from '@/components/ui/form-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { ApiRequestError } from '@/lib/browser/api-fetch';
import { nodeTypeLabel } from '@/lib/runs/node-type-label';
import { Breadcrumbs } from './breadcrumbs';
import { RunFilters, parseModeFilter, parseStatusFilter } from './run-filters';
import { RUN_ROW_GRID, RunRow } from './run-row';
import { useFlowRuns } from './use-flow-runs';
import { useNow } from './use-now';

/** A flow's run history: newest first, filtered by status and mode (kept in the address, so a filtered view can be shared). */
export function FlowRunsView({ flowId }: { flowId: string }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const status = parseStatusFilter(params.get('status'));
  const mode = parseModeFilter(params.get('mode'));
  const flow = useFlow(flowId);
  const runs = useFlowRuns(flowId, status, mode);
  const rows = runs.data?.pages.flatMap((p) => p.runs) ?? [];
  const now = useNow(
    1_000,
    rows.some((r) => r.status === 'running' || r.status === 'queued'),
  );

  if (flow.isError && flow.error instanceof ApiRequestError && (flow.error.status === 404 || flow.error.status === 400)) {
    return (
      <EmptyState icon="flows" title="This flow does not exist">
        It may have been deleted.{' '}
        <Link href="/flows" className="font-medium text-brand-700 underline dark:text-brand-500">
          Back to your flows
        </Link>
      </EmptyState>
    );
  }

  const name = flow.data?.name ?? 'Flow';
  const setFilters = (next: { status?: string; mode?: string }) => {
    const query = new URLSearchParams();
    if (next.status) query.set('status', next.status);
    if (next.mode) query.set('mode', next.mode);
    router.replace(query.size ? `${pathname}?${query}` : pathname, { scroll: false });
  };

  return (
    <>
      <Breadcrumbs items={[{ label: 'Flows', href: '/flows' }, { label: name, href: `/flows/${flowId}` }, { label: 'Runs' }]} />
      <PageHeader
        title={flow.data ? `Runs of ${flow.data.name}` : 'Runs'}
        description="Every time the flow ran, newest first. Open a run to see what each step received and returned."
        actions={
          flow.data && (
            <div className="flex items-center gap-3 text-sm text-slate-600 dark:text-slate-400">
              <FlowStatusBadge status={flow.data.status} />
              {flow.data.trigger && <span>Starts on: {nodeTypeLabel(flow.data.trigger.type)}</span>}
              <Link href={`/flows/${flowId}`} className="btn-secondary whitespace-nowrap">
                Open in editor
              </Link>
            </div>
          )
        }
      />

      <RunFilters status={status} mode={mode} onChange={setFilters} />

      {runs.isPending ? (
        <p className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400" role="status">
          <Spinner /> Loading runs…
        </p>
      ) : runs.isError ? (
        <FormError message="Could not load the runs. Reload the page to try again." />
      ) : rows.length === 0 ? (
        <EmptyState icon="clock" title={status || mode ? 'No runs match these filters' : 'This flow has not run yet'}>
          {status || mode
            ? 'Pick “All” to see every run.'
            : 'Runs show up here as soon as the flow is started and its trigger fires, or when you test it from the editor.'}
        </EmptyState>
      ) : (
        <>
          <div className="card overflow-hidden">
            <div
              aria-hidden="true"
              className={`${RUN_ROW_GRID} hidden border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs font-medium uppercase tracking-wide text-slate-600 sm:grid dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400`}
            >
              <span>Status</span>
              <span>Started</span>
              <span>Duration</span>
              <span>Trigger</span>
              <span>Mode</span>
              <span />
            </div>
            <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Runs" data-testid="run-list">
              {rows.map((run) => (
                <RunRow key={run.id} run={run} now={now} />
              ))}
            </ul>
          </div>
          {runs.hasNextPage && (
            <div className="mt-4 flex justify-center">
              <button type="button" className="btn-secondary" onClick={() => runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
                {runs.isFetchingNextPage && <Spinner />}
                Show older runs
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}
