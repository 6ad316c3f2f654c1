import { deleteFlow as removeFlow, updateFlow } from '@/lib/db/repositories/flows';
import { notFound } from '@/lib/errors/domain-error';
import type { FlowServiceContext } from './flow-context';

/**
 * Deletes one of the owner's flows with its versions, runs and steps. A started flow is stopped
 * first, so its triggers stop enqueuing before the rows go (a run the runtime is executing loses
 * its row and its fenced writes find nothing).
 */
export async function deleteFlow(ctx: FlowServiceContext, flowId: string): Promise<void> {
  const stopped = await updateFlow(ctx.db, ctx.ownerId, flowId, { status: 'stopped' });
  if (!stopped || !(await removeFlow(ctx.db, ctx.ownerId, flowId))) throw notFound('The flow');
}
