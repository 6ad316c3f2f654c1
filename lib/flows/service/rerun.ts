import { enqueueRuns, type RunMode } from '../runtime/enqueue';
import type { FlowServiceContext } from './flow-context';
import { requireRun } from './get-run';

/**
 * Runs the same flow version again with the same trigger data and mode; the new run names the
 * old one in `rerunOf`. A rerun of a stopped flow's run is allowed: the owner asked for it.
 */
export async function rerun(ctx: FlowServiceContext, runId: string): Promise<{ runId: string }> {
  const run = await requireRun(ctx, runId);
  const [enqueued] = await enqueueRuns(ctx.db, [
    {
      ownerId: ctx.ownerId,
      flowId: run.flowId,
      flowVersion: run.flowVersion,
      trigger: run.trigger,
      triggerKind: run.triggerKind ?? 'manual.trigger',
      mode: run.mode as RunMode,
      rerunOf: run.id,
    },
  ]);
  return { runId: enqueued!.runId };
}
