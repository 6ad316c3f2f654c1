import { listFlowPage } from '@/lib/db/repositories/flows';
import type { FlowServiceContext } from './flow-context';
import type { ListFlowsQuery } from './flow-requests';
import { toFlowSummary, type FlowSummary } from './flow-view';

const DEFAULT_PAGE = 50;

/** The owner's flows, one page at a time; `nextCursor` is null on the last page. */
export async function listFlows(
  ctx: FlowServiceContext,
  query: ListFlowsQuery,
): Promise<{ flows: FlowSummary[]; nextCursor: string | null }> {
  const limit = query.limit ?? DEFAULT_PAGE;
  const flows = await listFlowPage(ctx.db, ctx.ownerId, { q: query.q, sort: query.sort, afterId: query.cursor, limit });
  return { flows: flows.map(toFlowSummary), nextCursor: flows.length === limit ? flows[flows.length - 1]!.id : null };
}
