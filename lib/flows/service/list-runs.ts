import { listRuns as listRunRows } from '@/lib/db/repositories/runs';
import { toIsoTimestamp } from '@/lib/db/time';
import type { FlowServiceContext } from './flow-context';
import type { ListRunsQuery } from './flow-requests';
import { toRunSummary, type RunSummary } from './run-view';

const DEFAULT_PAGE = 50;

/** The owner's runs, newest first, filtered; pass `nextCursor` back as `cursor` for the next page (null on the last). */
export async function listRuns(ctx: FlowServiceContext, query: ListRunsQuery): Promise<{ runs: RunSummary[]; nextCursor: string | null }> {
  const limit = query.limit ?? DEFAULT_PAGE;
  const filter = {
    flowId: query.flowId,
    status: query.status,
    mode: query.mode,
    // Stored times are UTC ISO text: normalise offsets so the text comparison orders correctly.
    createdFrom: query.from === undefined ? undefined : toIsoTimestamp(query.from),
    createdTo: query.to === undefined ? undefined : toIsoTimestamp(query.to),
  };
  const runs = await listRunRows(ctx.db, ctx.ownerId, { ...filter, beforeId: query.cursor, limit });
  const last = runs.length === limit ? runs[runs.length - 1] : undefined;
  // A full page may be the last one: look one row ahead, so the client is never sent to an empty page.
  const more = last !== undefined && (await listRunRows(ctx.db, ctx.ownerId, { ...filter, beforeId: last.id, limit: 1 })).length > 0;
  return { runs: runs.map(toRunSummary), nextCursor: more ? last.id : null };
}
