'use client';

import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/browser/api-fetch';
import type { FlowListItem } from '@/lib/flows/service/flow-list-item';
import { flowKeys, type FlowSort } from './flow-keys';

const PAGE_SIZE = 25;

/** The caller's flows with their figures, searched and sorted by the server, a page at a time. */
export function useFlows(q: string, sort: FlowSort) {
  return useInfiniteQuery({
    queryKey: flowKeys.list(q, sort),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ sort, limit: String(PAGE_SIZE) });
      if (q) params.set('q', q);
      if (pageParam) params.set('cursor', pageParam);
      return apiFetch<{ flows: FlowListItem[]; nextCursor: string | null }>(`/api/flows?${params}`);
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Typing in the search box keeps the previous results on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    // Runs come in while the dashboard is open: its last runs and 24-hour figures follow.
    refetchInterval: 30_000,
  });
}
