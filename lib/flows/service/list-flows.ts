import { accountLabels, currentDraftIds, flowRunFacts, versionDocuments } from '@/lib/db/repositories/flow-dashboard';
import { listFlowPage, type FlowPageQuery } from '@/lib/db/repositories/flows';
import { cachedDraftFacts, draftFactsOf, knownDraftFacts } from './draft-facts';
import type { FlowServiceContext } from './flow-context';
import { toFlowListItem, windowStart, type FlowListItem } from './flow-list-item';
import type { ListFlowsQuery } from './flow-requests';

const DEFAULT_PAGE = 50;

/** `name-desc` → sort by name, Z–A; a bare field keeps its own direction. */
function sortOf(token: ListFlowsQuery['sort']): Pick<FlowPageQuery, 'sort' | 'dir'> {
  if (!token) return {};
  const [field, dir] = token.split('-') as [NonNullable<FlowPageQuery['sort']>, FlowPageQuery['dir']];
  return dir ? { sort: field, dir } : { sort: field };
}

/**
 * The owner's flows for the dashboard, one page at a time (`nextCursor` is null on the last page):
 * each with its state, trigger, accounts, newest run and its runs per hour over the last 24 hours.
 * A page costs the same few queries whatever its size: the flows, their drafts' version ids, the
 * owner's accounts, one query for every flow's run figures, and the documents of drafts not read
 * before. The drafts' problems are read from the documents (kept per immutable version), without
 * asking Dynamics.
 */
export async function listFlows(
  ctx: FlowServiceContext,
  query: ListFlowsQuery,
  now: number = Date.now(),
): Promise<{ flows: FlowListItem[]; nextCursor: string | null }> {
  const limit = query.limit ?? DEFAULT_PAGE;
  const page = { q: query.q, ...sortOf(query.sort) };
  const flows = await listFlowPage(ctx.db, ctx.ownerId, { ...page, afterId: query.cursor, limit });
  const last = flows.length === limit ? flows[flows.length - 1] : undefined;
  // A full page may be the last one: look one row ahead, so the client is never sent to an empty page.
  const more = last !== undefined && (await listFlowPage(ctx.db, ctx.ownerId, { ...page, afterId: last.id, limit: 1 })).length > 0;
  const ids = flows.map((f) => f.id);
  const since = windowStart(now);
  const [drafts, accounts, runs] = await Promise.all([
    currentDraftIds(ctx.db, ctx.ownerId, ids),
    accountLabels(ctx.db, ctx.ownerId),
    flowRunFacts(ctx.db, ctx.ownerId, ids, since),
  ]);
  // Only drafts not read before are fetched: a version never changes, so its facts are kept.
  const unknown = [...drafts.values()].filter((versionId) => !knownDraftFacts(versionId));
  const documents = await versionDocuments(ctx.db, ctx.ownerId, unknown);
  const items = flows.map((flow) => {
    const versionId = drafts.get(flow.id);
    const facts = versionId
      ? (knownDraftFacts(versionId) ?? cachedDraftFacts(versionId, documents.get(versionId) ?? 'null'))
      : draftFactsOf('null');
    return toFlowListItem(flow, facts, accounts, runs.get(flow.id) ?? { lastRun: null, hours: [] }, since);
  });
  return { flows: items, nextCursor: more ? last.id : null };
}
