'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useNow } from '@/components/runs/use-now';
import { FormError } from '@/components/ui/form-error';
import { Icon } from '@/components/ui/icon';
import { Spinner } from '@/components/ui/spinner';
import { ApiRequestError } from '@/lib/browser/api-fetch';
import type { Problem } from '@/lib/flows/model/problem';
import type { FlowListItem } from '@/lib/flows/service/flow-list-item';
import { DeleteFlowDialog } from './delete-flow-dialog';
import type { FlowSort } from './flow-keys';
import type { FlowMenuHandlers } from './flow-menu';
import { FlowRow } from './flow-row';
import { FlowsEmptyState } from './flows-empty-state';
import { StartResultDialog, type StartResult } from './start-result-dialog';
import { useFlowActions } from './use-flow-actions';
import { useFlows } from './use-flows';

const SORTS: { value: FlowSort; label: string }[] = [
  { value: 'modified', label: 'Last changed, newest first' },
  { value: 'modified-asc', label: 'Last changed, oldest first' },
  { value: 'created', label: 'Created, newest first' },
  { value: 'created-asc', label: 'Created, oldest first' },
  { value: 'name', label: 'Name, A to Z' },
  { value: 'name-desc', label: 'Name, Z to A' },
];
const DEFAULT_SORT: FlowSort = 'modified';

const sortFrom = (value: string | null): FlowSort => SORTS.find((s) => s.value === value)?.value ?? DEFAULT_SORT;

/**
 * The dialogs open after the menu has closed (once the server answered), so they cannot know what to
 * give focus back to: the flow's own ⋮ button, or the search box once the flow is gone.
 */
function refocusAfter(flowId: string | undefined) {
  return (event: Event) => {
    event.preventDefault();
    const menu = flowId ? document.querySelector<HTMLElement>(`[data-flow-id="${flowId}"] [data-testid="flow-menu"]`) : null;
    (menu ?? document.getElementById('flow-search'))?.focus();
  };
}

const messageOf = (err: unknown, fallback: string) => (err instanceof ApiRequestError ? err.message : fallback);

type Notice = { tone: 'ok' | 'error'; text: string; link?: { href: string; label: string } };

/** The flows dashboard: searchable and sortable (both kept in the address), with each flow's figures and menu. */
export function FlowsView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const sort = sortFrom(params.get('sort'));
  const [search, setSearch] = useState(q);
  const now = useNow(30_000);
  const actions = useFlowActions();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [startResult, setStartResult] = useState<StartResult | null>(null);
  const [deleting, setDeleting] = useState<FlowListItem | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  // The flow whose dialog was last opened: kept after the dialog closes, for the focus to go back to.
  const [dialogFlowId, setDialogFlowId] = useState<string | undefined>();
  // Back and forward change the address: the box follows it (adjusted while rendering, as React advises).
  const [shownQ, setShownQ] = useState(q);
  if (shownQ !== q) {
    setShownQ(q);
    if (search.trim() !== q) setSearch(q);
  }

  const setQuery = (next: { q?: string; sort?: FlowSort }) => {
    const url = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (!value || (key === 'sort' && value === DEFAULT_SORT)) url.delete(key);
      else url.set(key, value);
    }
    const text = url.toString();
    router.replace(text ? `${pathname}?${text}` : pathname, { scroll: false });
  };

  // The server searches: wait for a pause in typing before the address (and so the query) changes.
  useEffect(() => {
    const typed = search.trim();
    if (typed === q) return;
    const timer = setTimeout(() => setQuery({ q: typed }), 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only typing starts a new wait
  }, [search]);

  const flows = useFlows(q, sort);
  const rows = flows.data?.pages.flatMap((p) => p.flows) ?? [];
  const nothingAtAll = flows.isSuccess && rows.length === 0 && q === '' && search.trim() === '';

  const run = async (flow: FlowListItem, work: () => Promise<void>) => {
    setBusyId(flow.id);
    setDialogFlowId(flow.id);
    setNotice(null);
    try {
      await work();
    } finally {
      setBusyId(null);
    }
  };

  const handlers: FlowMenuHandlers = {
    onStart: (flow) =>
      run(flow, async () => {
        try {
          const started = await actions.start.mutateAsync(flow.id);
          if (started.invokeKey && started.invokeUrl) {
            setStartResult({ kind: 'key', flowId: flow.id, name: flow.name, invokeKey: started.invokeKey, invokeUrl: started.invokeUrl });
          }
          setNotice({ tone: 'ok', text: `“${flow.name}” is running.` });
        } catch (err) {
          const problems = err instanceof ApiRequestError ? ((err.details as { problems?: Problem[] } | undefined)?.problems ?? []) : [];
          setStartResult({
            kind: 'refused',
            flowId: flow.id,
            name: flow.name,
            message: messageOf(err, 'The flow could not be started.'),
            problems,
          });
        }
      }),
    onStop: (flow) =>
      run(flow, async () => {
        try {
          await actions.stop.mutateAsync(flow.id);
          setNotice({ tone: 'ok', text: `“${flow.name}” is stopped. Runs already under way finish.` });
        } catch (err) {
          setNotice({ tone: 'error', text: messageOf(err, `“${flow.name}” could not be stopped.`) });
        }
      }),
    onDuplicate: (flow) =>
      run(flow, async () => {
        try {
          const copy = await actions.duplicate.mutateAsync(flow.id);
          setNotice({
            tone: 'ok',
            text: `Copied “${flow.name}” as a new draft.`,
            link: { href: `/flows/${copy.flowId}`, label: 'Open the copy' },
          });
        } catch (err) {
          setNotice({ tone: 'error', text: messageOf(err, `“${flow.name}” could not be copied.`) });
        }
      }),
    onDelete: (flow) => {
      actions.remove.reset();
      setDialogFlowId(flow.id);
      setDeleting(flow);
    },
  };

  const confirmDelete = () => {
    const flow = deleting;
    if (!flow) return;
    actions.remove.mutate(flow.id, {
      onSuccess: () => {
        setDeleting(null);
        setNotice({ tone: 'ok', text: `“${flow.name}” is deleted.` });
      },
    });
  };

  if (nothingAtAll) return <FlowsEmptyState />;

  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <div className="relative min-w-64 flex-1 sm:max-w-sm">
          <Icon name="search" className="pointer-events-none absolute left-3 top-2.5 h-4 w-4 text-slate-400" />
          <label htmlFor="flow-search" className="sr-only">
            Search flows by name
          </label>
          <input
            id="flow-search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Search flows by name"
            className="field-input pl-9"
          />
        </div>
        <div className="flex items-center gap-2">
          <label htmlFor="flow-sort" className="text-sm text-slate-600 dark:text-slate-400">
            Sort by
          </label>
          <select
            id="flow-sort"
            value={sort}
            onChange={(e) => setQuery({ sort: e.target.value as FlowSort })}
            className="field-input w-auto py-1.5"
          >
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        {flows.isFetching && !flows.isFetchingNextPage && !flows.isPending && (
          <span className="flex items-center gap-2 text-sm text-slate-500" role="status">
            <Spinner /> Updating…
          </span>
        )}
      </div>

      <div role="status" aria-live="polite" className="empty:hidden">
        {notice && (
          <p
            data-testid="flows-notice"
            className={`mb-4 flex flex-wrap items-center gap-x-3 rounded-md px-3 py-2 text-sm ${
              notice.tone === 'ok'
                ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100'
                : 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200'
            }`}
          >
            {notice.text}
            {notice.link && (
              <Link href={notice.link.href} className="font-medium underline underline-offset-2">
                {notice.link.label}
              </Link>
            )}
          </p>
        )}
      </div>

      {flows.isPending ? (
        <p className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400" role="status">
          <Spinner /> Loading your flows…
        </p>
      ) : flows.isError ? (
        <FormError message="Could not load your flows. Reload the page to try again." />
      ) : rows.length === 0 ? (
        <p className="card px-4 py-8 text-center text-sm text-slate-600 dark:text-slate-400" data-testid="flows-no-match">
          No flow is named like “{q || search.trim()}”. Try a shorter search.
        </p>
      ) : (
        <>
          <div className="card overflow-hidden">
            <table className="w-full border-collapse text-left" data-testid="flow-list">
              <caption className="sr-only">Your flows</caption>
              <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
                <tr>
                  <th scope="col" className="py-2.5 pl-4 pr-3 font-medium">
                    Flow
                  </th>
                  <th scope="col" className="hidden px-3 py-2.5 font-medium md:table-cell">
                    State
                  </th>
                  <th scope="col" className="hidden px-3 py-2.5 font-medium lg:table-cell">
                    Accounts
                  </th>
                  <th scope="col" className="hidden px-3 py-2.5 font-medium sm:table-cell">
                    Last run
                  </th>
                  <th scope="col" className="px-3 py-2.5 font-medium">
                    Last 24 hours
                  </th>
                  <th scope="col" className="py-2.5 pl-1 pr-3">
                    <span className="sr-only">Options</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
                {rows.map((flow) => (
                  <FlowRow key={flow.id} flow={flow} now={now} busy={busyId === flow.id} handlers={handlers} />
                ))}
              </tbody>
            </table>
          </div>
          {flows.hasNextPage && (
            <div className="mt-4 flex justify-center">
              <button type="button" className="btn-secondary" onClick={() => flows.fetchNextPage()} disabled={flows.isFetchingNextPage}>
                {flows.isFetchingNextPage && <Spinner />}
                Show more flows
              </button>
            </div>
          )}
        </>
      )}

      <StartResultDialog result={startResult} onClose={() => setStartResult(null)} onCloseAutoFocus={refocusAfter(dialogFlowId)} />
      <DeleteFlowDialog
        flow={deleting}
        pending={actions.remove.isPending}
        error={actions.remove.error ? messageOf(actions.remove.error, 'The flow could not be deleted.') : null}
        onConfirm={confirmDelete}
        onOpenChange={(open) => !open && setDeleting(null)}
        onCloseAutoFocus={refocusAfter(dialogFlowId)}
      />
    </div>
  );
}
