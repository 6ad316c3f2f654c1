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
  const page = { q: query.q, sort: query.sort };
  const flows = await listFlowPage(ctx.db, ctx.ownerId, { ...page, afterId: query.cursor, limit });
  const last = flows.length === limit ? flows[flows.length - 1] : undefined;
  // A full page may be the last one: look one row ahead, so the client is never sent to an empty page.
  const more = last !== undefined && (await listFlowPage(ctx.db, ctx.ownerId, { ...page, afterId: last.id, limit: 1 })).length > 0;
  return { flows: flows.map(toFlowSummary), nextCursor: more ? last.id : null };
}
