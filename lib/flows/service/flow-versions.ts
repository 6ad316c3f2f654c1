import { findFlowVersion, listFlowVersions as listVersionRows } from '@/lib/db/repositories/flow-versions';
import { notFound } from '@/lib/errors/domain-error';
import type { FlowServiceContext } from './flow-context';
import { requireFlow } from './get-flow';

export interface FlowVersionItem {
  version: number;
  createdAt: string;
  /** The version live runs use. */
  published: boolean;
  current: boolean;
}

/** The saved versions of one of the owner's flows, newest first. */
export async function listFlowVersions(ctx: FlowServiceContext, flowId: string): Promise<FlowVersionItem[]> {
  const flow = await requireFlow(ctx, flowId);
  const rows = await listVersionRows(ctx.db, ctx.ownerId, flowId);
  return rows.map((v) => ({
    version: v.version,
    createdAt: v.createdAt,
    published: v.version === flow.publishedVersion,
    current: v.version === flow.currentVersion,
  }));
}

/** One saved version's document, as stored. */
export async function getFlowVersion(
  ctx: FlowServiceContext,
  flowId: string,
  version: number,
): Promise<{ version: number; createdAt: string; published: boolean; document: unknown }> {
  const flow = await requireFlow(ctx, flowId);
  const row = await findFlowVersion(ctx.db, ctx.ownerId, flowId, version);
  if (!row) throw notFound(`Version ${version} of the flow`);
  return { version: row.version, createdAt: row.createdAt, published: row.version === flow.publishedVersion, document: row.document };
}
