'use client';

import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/browser/api-fetch';
import type { RunSummary } from '@/lib/flows/service/run-view';
import { runKeys, type RunModeFilter, type RunStatusFilter } from './run-keys';

const PAGE_SIZE = 25;
const BUSY = new Set(['queued', 'running']);

/** One flow's runs, newest first, a page at a time; polled while one of them is still busy. */
export function useFlowRuns(flowId: string, status: RunStatusFilter | undefined, mode: RunModeFilter | undefined) {
  return useInfiniteQuery({
    queryKey: runKeys.list(flowId, status, mode),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ flowId, limit: String(PAGE_SIZE) });
      if (status) params.set('status', status);
      if (mode) params.set('mode', mode);
      if (pageParam) params.set('cursor', pageParam);
      return apiFetch<{ runs: RunSummary[]; nextCursor: string | null }>(`/api/runs?${params}`);
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    refetchInterval: (query) => (query.state.data?.pages.some((p) => p.runs.some((r) => BUSY.has(r.status))) ? 2_000 : false),
  });
}
