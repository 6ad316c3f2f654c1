import { findFlow, type Flow } from '@/lib/db/repositories/flows';
import { findFlowVersion } from '@/lib/db/repositories/flow-versions';
import { notFound } from '@/lib/errors/domain-error';
import { validateFlow } from '../validation/validate-flow';
import type { FlowServiceContext } from './flow-context';
import { toFlowView, type FlowView } from './flow-view';

/** One of the owner's flows; not_found for anyone else's (it does not say which). */
export async function requireFlow(ctx: FlowServiceContext, flowId: string): Promise<Flow> {
  const flow = await findFlow(ctx.db, ctx.ownerId, flowId);
  if (!flow) throw notFound('The flow');
  return flow;
}

/** The view of a flow with its current document and every problem validateFlow finds in it. */
export async function flowViewOf(ctx: FlowServiceContext, flow: Flow): Promise<FlowView> {
  const version = await findFlowVersion(ctx.db, ctx.ownerId, flow.id);
  if (!version) throw notFound('The flow');
  const { document, problems } = await validateFlow(ctx, version.document);
  return toFlowView(flow, version.document, document, problems);
}

export async function getFlow(ctx: FlowServiceContext, flowId: string): Promise<FlowView> {
  return flowViewOf(ctx, await requireFlow(ctx, flowId));
}
