import type { ListFlowsQuery } from '@/lib/flows/service/flow-requests';

export type FlowSort = NonNullable<ListFlowsQuery['sort']>;

export const flowKeys = {
  all: ['flows'] as const,
  list: (q: string, sort: FlowSort) => ['flows', 'list', { q, sort }] as const,
  detail: (id: string) => ['flows', 'detail', id] as const,
  version: (id: string, version: number) => ['flows', 'detail', id, 'version', version] as const,
};
