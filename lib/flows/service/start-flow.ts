import { publishFlow, setFlowInvokeKey } from '@/lib/db/repositories/flows';
import { deleteTriggerState } from '@/lib/db/repositories/trigger-state';
import { nowIso } from '@/lib/db/time';
import { withTransaction } from '@/lib/db/transaction';
import { notFound } from '@/lib/errors/domain-error';
import type { FlowServiceContext } from './flow-context';
import { flowViewOf, requireFlow } from './get-flow';
import { triggerOf, type FlowView } from './flow-view';
import { newInvokeKey } from './invoke-key';
import { requireValidCurrentVersion } from './validate-current';

export const API_TRIGGER = 'api.request';

export interface StartedFlow {
  flow: FlowView;
  /** Shown once: only when this start made the API trigger's key. */
  invokeKey?: string;
  /** Where an API-triggered flow is called. */
  invokeUrl?: string;
}

export const invokeUrlOf = (flowId: string) => `/api/flows/${flowId}/invoke`;

/**
 * Publishes the current version and starts the flow; on an already active flow it publishes the
 * newer draft. Refused with `flow_invalid` when the draft has problems. The trigger cursors are
 * forgotten, so pollers start again from now: only changes after this start count. An API-triggered
 * flow gets its key on the first start (the key is returned once; rotate it to see a new one).
 */
export async function startFlow(ctx: FlowServiceContext, flowId: string): Promise<StartedFlow> {
  const flow = await requireFlow(ctx, flowId);
  const { version, document } = await requireValidCurrentVersion(ctx, flow, 'started');
  const isApi = triggerOf(document)?.type === API_TRIGGER;
  const key = isApi && !flow.hasInvokeKey ? newInvokeKey() : undefined;
  const started = await withTransaction(ctx.db, async (tx) => {
    const published = await publishFlow(tx, ctx.ownerId, flowId, { version: version.version, startedAt: nowIso() });
    if (!published) throw notFound('The flow');
    await deleteTriggerState(tx, ctx.ownerId, flowId);
    const keySet = key
      ? await setFlowInvokeKey(tx, ctx.ownerId, flowId, { hash: key.hash, prefix: key.prefix }, { onlyIfNone: true })
      : false;
    return { published, keySet };
  });
  const view = await flowViewOf(ctx, started.keySet ? await requireFlow(ctx, flowId) : started.published);
  return { flow: view, ...(started.keySet && key ? { invokeKey: key.key } : {}), ...(isApi ? { invokeUrl: invokeUrlOf(flowId) } : {}) };
}
