'use client';

import { useEffect, useState } from 'react';
import { FormError } from '@/components/ui/form-error';
import { Icon } from '@/components/ui/icon';
import { Spinner } from '@/components/ui/spinner';
import { useNow } from '@/components/runs/use-now';
import type { FlowSort } from './flow-keys';
import { FlowRow } from './flow-row';
import { FlowsEmptyState } from './flows-empty-state';
import { useFlows } from './use-flows';

const SORTS: { value: FlowSort; label: string }[] = [
  { value: 'modified', label: 'Last changed' },
  { value: 'created', label: 'Newest first' },
  { value: 'name', label: 'Name (A–Z)' },
];

/** The searchable, sortable list of the caller's flows. */
export function FlowsView() {
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<FlowSort>('modified');
  const now = useNow(60_000);

  // The server searches: wait for a pause in typing rather than asking on every key.
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const flows = useFlows(q, sort);
  const rows = flows.data?.pages.flatMap((p) => p.flows) ?? [];
  const nothingAtAll = flows.isSuccess && rows.length === 0 && q === '' && search.trim() === '';

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
          <select id="flow-sort" value={sort} onChange={(e) => setSort(e.target.value as FlowSort)} className="field-input w-auto py-1.5">
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
          <ul className="card divide-y divide-slate-200 overflow-hidden dark:divide-slate-800" aria-label="Flows" data-testid="flow-list">
            {rows.map((flow) => (
              <FlowRow key={flow.id} flow={flow} now={now} />
            ))}
          </ul>
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
    </div>
  );
}
