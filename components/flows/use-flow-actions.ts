'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/browser/api-fetch';
import type { StartedFlow } from '@/lib/flows/service/start-flow';
import { flowKeys } from './flow-keys';

/** Start, stop, duplicate and delete from the dashboard; each refreshes every flow query when it is done. */
export function useFlowActions() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: flowKeys.all });
  const start = useMutation({
    mutationFn: (id: string) => apiFetch<StartedFlow>(`/api/flows/${id}/start`, { method: 'POST' }),
    onSettled: refresh,
  });
  const stop = useMutation({
    mutationFn: (id: string) => apiFetch<unknown>(`/api/flows/${id}/stop`, { method: 'POST' }),
    onSettled: refresh,
  });
  const duplicate = useMutation({
    mutationFn: (id: string) => apiFetch<{ flowId: string }>(`/api/flows/${id}/duplicate`, { method: 'POST' }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => apiFetch<void>(`/api/flows/${id}`, { method: 'DELETE' }),
    onSuccess: (_data, id) => queryClient.removeQueries({ queryKey: flowKeys.detail(id) }),
    onSettled: refresh,
  });
  return { start, stop, duplicate, remove };
}
