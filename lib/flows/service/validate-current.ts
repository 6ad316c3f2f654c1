import { findFlowVersion, type FlowVersion } from '@/lib/db/repositories/flow-versions';
import type { Flow } from '@/lib/db/repositories/flows';
import { notFound, unprocessable } from '@/lib/errors/domain-error';
import type { FlowDocument } from '../model/schema';
import { validateFlow } from '../validation/validate-flow';
import type { FlowServiceContext } from './flow-context';

/**
 * The flow's current version (the draft), validated: `flow_invalid` (422, `details.problems`)
 * when validateFlow finds any problem, so nothing half-built is published or test-run.
 */
export async function requireValidCurrentVersion(
  ctx: FlowServiceContext,
  flow: Flow,
  action: string,
): Promise<{ version: FlowVersion; document: FlowDocument }> {
  const version = await findFlowVersion(ctx.db, ctx.ownerId, flow.id);
  if (!version) throw notFound('The flow');
  const { document, problems } = await validateFlow(ctx, version.document);
  if (!document || problems.length > 0) {
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    throw unprocessable('flow_invalid', `The flow cannot be ${action}: version ${version.version} has ${count}.`, { problems });
  }
  return { version, document };
}
