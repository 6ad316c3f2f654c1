import { enqueueRuns } from '../runtime/enqueue';
import type { FlowServiceContext } from './flow-context';
import type { TestFlowRequest } from './flow-requests';
import { triggerOf } from './flow-view';
import { requireFlow } from './get-flow';
import { requireValidCurrentVersion } from './validate-current';

/**
 * Runs the draft (current version) once in test mode, whether or not the flow is started. The
 * trigger data is what the caller gave, else the trigger's sample payload, else null.
 */
export async function testFlow(ctx: FlowServiceContext, flowId: string, input: TestFlowRequest): Promise<{ runId: string }> {
  const flow = await requireFlow(ctx, flowId);
  const { version, document } = await requireValidCurrentVersion(ctx, flow, 'tested');
  const trigger = triggerOf(document);
  const sample = trigger?.params.inputs.samplePayload;
  const [run] = await enqueueRuns(ctx.db, [
    {
      ownerId: ctx.ownerId,
      flowId,
      flowVersion: version.version,
      trigger: input.trigger ?? sample ?? null,
      triggerKind: trigger?.type ?? 'manual.trigger',
      mode: 'test',
    },
  ]);
  return { runId: run!.runId };
}
