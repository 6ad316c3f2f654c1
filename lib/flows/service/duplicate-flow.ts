import { createFlow as insertFlow } from '@/lib/db/repositories/flows';
import { findFlowVersion } from '@/lib/db/repositories/flow-versions';
import { notFound } from '@/lib/errors/domain-error';
import type { FlowServiceContext } from './flow-context';
import { requireFlow } from './get-flow';

/** Names are at most 200 characters (createFlowSchema): a long name is shortened to keep its " (copy)". */
const MAX_NAME = 200;
const SUFFIX = ' (copy)';

export function copyName(name: string): string {
  const base = name.trim();
  return base.length + SUFFIX.length <= MAX_NAME ? `${base}${SUFFIX}` : `${base.slice(0, MAX_NAME - SUFFIX.length - 1)}…${SUFFIX}`;
}

/**
 * A new draft with the current draft's document (not the published version: the copy is what the
 * owner sees in the editor), named "<name> (copy)". It starts with no runs, no published version
 * and no API key of its own until it is started.
 */
export async function duplicateFlow(ctx: FlowServiceContext, flowId: string): Promise<{ flowId: string }> {
  const flow = await requireFlow(ctx, flowId);
  const version = await findFlowVersion(ctx.db, ctx.ownerId, flow.id);
  if (!version) throw notFound('The flow');
  const { flow: copy } = await insertFlow(ctx.db, ctx.ownerId, {
    name: copyName(flow.name),
    description: flow.description,
    document: version.document,
  });
  return { flowId: copy.id };
}
