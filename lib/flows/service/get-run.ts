import { listRunSteps } from '@/lib/db/repositories/run-steps';
import { findRun, type Run } from '@/lib/db/repositories/runs';
import { notFound } from '@/lib/errors/domain-error';
import type { FlowServiceContext } from './flow-context';
import { toRunView, type RunView } from './run-view';

export async function requireRun(ctx: FlowServiceContext, runId: string): Promise<Run> {
  const run = await findRun(ctx.db, ctx.ownerId, runId);
  if (!run) throw notFound('The run');
  return run;
}

/** One of the owner's runs with its steps, in the order they started (attempts in order). */
export async function getRun(ctx: FlowServiceContext, runId: string): Promise<RunView> {
  const run = await requireRun(ctx, runId);
  return toRunView(run, await listRunSteps(ctx.db, ctx.ownerId, runId));
}
