import { createFlow as insertFlow } from '@/lib/db/repositories/flows';
import type { FlowServiceContext } from './flow-context';
import type { CreateFlowRequest } from './flow-requests';
import { flowViewOf } from './get-flow';
import type { FlowView } from './flow-view';
import { parseSubmittedDocument } from './parse-document';

/** Creates a draft flow with the (migrated) document as version 1. */
export async function createFlow(ctx: FlowServiceContext, input: CreateFlowRequest): Promise<FlowView> {
  const document = parseSubmittedDocument(input.document);
  const name = input.name ?? (document.name.trim() || 'Untitled flow');
  const { flow } = await insertFlow(ctx.db, ctx.ownerId, { name, description: input.description ?? document.description, document });
  return flowViewOf(ctx, flow);
}
