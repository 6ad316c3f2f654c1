import { ConflictError } from '@/lib/db/errors';
import { findFlow, updateFlow } from '@/lib/db/repositories/flows';
import { saveFlowVersion } from '@/lib/db/repositories/flow-versions';
import { withTransaction } from '@/lib/db/transaction';
import { conflict, notFound } from '@/lib/errors/domain-error';
import type { FlowServiceContext } from './flow-context';
import type { SaveFlowRequest } from './flow-requests';
import type { FlowView } from './flow-view';
import { flowViewOf, requireFlow } from './get-flow';
import { parseSubmittedDocument } from './parse-document';

/**
 * Saves the editor's document as a new version (every save is one; old versions stay readable).
 * Refused with `version_conflict` (409, `details.currentVersion`) when someone saved since
 * `baseVersion`. Editing a started flow changes only the draft: live runs keep the published
 * version until the flow is started again.
 */
export async function saveFlow(ctx: FlowServiceContext, flowId: string, input: SaveFlowRequest): Promise<FlowView> {
  await requireFlow(ctx, flowId);
  const document = parseSubmittedDocument(input.document);
  try {
    await withTransaction(ctx.db, async (tx) => {
      const saved = await saveFlowVersion(tx, ctx.ownerId, flowId, document, { expectedVersion: input.baseVersion });
      if (!saved) throw notFound('The flow');
      if (input.name !== undefined || input.description !== undefined) {
        await updateFlow(tx, ctx.ownerId, flowId, { name: input.name, description: input.description });
      }
    });
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    const current = await findFlow(ctx.db, ctx.ownerId, flowId);
    throw conflict(
      'version_conflict',
      `The flow was saved elsewhere since version ${input.baseVersion}; reload version ${current?.currentVersion ?? '?'} and try again.`,
      { currentVersion: current?.currentVersion },
    );
  }
  return flowViewOf(ctx, await requireFlow(ctx, flowId));
}
