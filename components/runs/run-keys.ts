import type { ListRunsQuery } from '@/lib/flows/service/flow-requests';

export type RunStatusFilter = NonNullable<ListRunsQuery['status']>;
export type RunModeFilter = NonNullable<ListRunsQuery['mode']>;

export const runKeys = {
  all: ['runs'] as const,
  list: (flowId: string, status: RunStatusFilter | undefined, mode: RunModeFilter | undefined) =>
    ['runs', 'list', { flowId, status: status ?? null, mode: mode ?? null }] as const,
  detail: (id: string) => ['runs', 'detail', id] as const,
};
