import { updateFlow } from '@/lib/db/repositories/flows';
import { notFound } from '@/lib/errors/domain-error';
import type { FlowServiceContext } from './flow-context';
import type { FlowView } from './flow-view';
import { flowViewOf } from './get-flow';

/**
 * Stops the flow: its triggers enqueue nothing more. Runs already queued or running still finish —
 * they were accepted while the flow was active (an API caller may be waiting on one), and cutting
 * them off midway would leave Dynamics half-updated.
 */
export async function stopFlow(ctx: FlowServiceContext, flowId: string): Promise<FlowView> {
  const flow = await updateFlow(ctx.db, ctx.ownerId, flowId, { status: 'stopped' });
  if (!flow) throw notFound('The flow');
  return flowViewOf(ctx, flow);
}
