'use client';

import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/browser/api-fetch';
import type { FlowView } from '@/lib/flows/service/flow-view';
import { flowKeys } from './flow-keys';

/** One flow with its trigger and problems (GET /api/flows/{id}). */
export function useFlow(id: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: flowKeys.detail(id),
    queryFn: async () => (await apiFetch<{ flow: FlowView }>(`/api/flows/${id}`)).flow,
    enabled: options.enabled ?? true,
    staleTime: 30_000,
  });
}

/** One saved version's document: a run names the version it ran, and its steps are that version's nodes. */
export function useFlowVersion(id: string, version: number | undefined) {
  return useQuery({
    queryKey: flowKeys.version(id, version ?? 0),
    queryFn: async () =>
      (await apiFetch<{ version: { version: number; document: unknown } }>(`/api/flows/${id}/versions/${version}`)).version,
    enabled: Boolean(id) && version !== undefined,
    // A saved version never changes.
    staleTime: Infinity,
  });
}
