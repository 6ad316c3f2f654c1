import { findFlowVersion } from '@/lib/db/repositories/flow-versions';
import { setFlowInvokeKey } from '@/lib/db/repositories/flows';
import { invalid, notFound } from '@/lib/errors/domain-error';
import { checkFlow } from '../model/check-flow';
import type { FlowServiceContext } from './flow-context';
import { triggerOf } from './flow-view';
import { requireFlow } from './get-flow';
import { newInvokeKey } from './invoke-key';
import { API_TRIGGER, invokeUrlOf } from './start-flow';

/**
 * Replaces the API trigger's key: the old key stops working at once, the new one is returned this
 * once (only its hash is stored). Refused for a flow whose trigger is not an API request.
 */
export async function rotateInvokeKey(
  ctx: FlowServiceContext,
  flowId: string,
): Promise<{ invokeKey: string; invokeKeyPrefix: string; invokeUrl: string }> {
  const flow = await requireFlow(ctx, flowId);
  const versions = [flow.publishedVersion, flow.currentVersion].filter((v): v is number => v !== null);
  const documents = await Promise.all(versions.map((v) => findFlowVersion(ctx.db, ctx.ownerId, flowId, v)));
  const isApi = documents.some((d) => d && triggerOf(checkFlow(d.document).document)?.type === API_TRIGGER);
  if (!isApi) throw invalid('not_api_triggered', 'Only a flow started by an API request has an invoke key.');
  const key = newInvokeKey();
  if (!(await setFlowInvokeKey(ctx.db, ctx.ownerId, flowId, { hash: key.hash, prefix: key.prefix }))) throw notFound('The flow');
  return { invokeKey: key.key, invokeKeyPrefix: key.prefix, invokeUrl: invokeUrlOf(flowId) };
}
