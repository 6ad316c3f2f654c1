import { conflict, invalid, notFound } from '@/lib/errors/domain-error';
import { singleStepState } from '../engine/single-step-state';
import { enqueueRuns } from '../runtime/enqueue';
import { readRunState } from '../runtime/run-store';
import type { FlowServiceContext } from './flow-context';
import type { TestFlowRequest } from './flow-requests';
import { triggerOf } from './flow-view';
import { requireFlow } from './get-flow';
import { requireValidCurrentVersion } from './validate-current';

/**
 * Runs the draft (current version) once in test mode, whether or not the flow is started. The
 * trigger data is what the caller gave, else the trigger's sample payload, else null.
 *
 * With `step`, only that step runs ("Test this step"), on the trigger data and the outputs of the
 * steps before it recorded by an earlier finished run of this flow (`fromRunId`): the run starts
 * from a state seeded with them (engine/single-step-state.ts), so the draft's current inputs of the
 * step are what is tried, and nothing after it runs.
 */
export async function testFlow(ctx: FlowServiceContext, flowId: string, input: TestFlowRequest): Promise<{ runId: string }> {
  const flow = await requireFlow(ctx, flowId);
  const { version, document } = await requireValidCurrentVersion(ctx, flow, 'tested');
  const trigger = triggerOf(document);
  const triggerKind = trigger?.type ?? 'manual.trigger';
  if (input.step) {
    const source = await readRunState(ctx.db, ctx.ownerId, input.step.fromRunId);
    if (!source || source.flowId !== flowId) throw notFound('The earlier run');
    if (!source.state || source.status === 'queued' || source.status === 'running') {
      throw conflict('run_not_finished', 'The earlier run has not finished yet: wait for it, then test the step.');
    }
    const seeded = singleStepState(document, source.state, input.step.nodeId, Date.now());
    if (!seeded.ok) throw invalid(seeded.code, seeded.message);
    const [run] = await enqueueRuns(ctx.db, [
      {
        ownerId: ctx.ownerId,
        flowId,
        flowVersion: version.version,
        trigger: source.trigger,
        triggerKind,
        mode: 'test',
        state: seeded.state,
      },
    ]);
    return { runId: run!.runId };
  }
  const sample = trigger?.params.inputs.samplePayload;
  const [run] = await enqueueRuns(ctx.db, [
    {
      ownerId: ctx.ownerId,
      flowId,
      flowVersion: version.version,
      trigger: input.trigger ?? sample ?? null,
      triggerKind,
      mode: 'test',
    },
  ]);
  return { runId: run!.runId };
}
