import type { RunStepView } from '@/lib/flows/service/run-view';

/**
 * Each node's last recorded attempt: what a drawing of the flow shows on that node (its status,
 * output or error). Steps without a node (engine bookkeeping) are left out. For a node run several
 * times (inside For each), the last one recorded wins.
 */
export function latestStepByNode(steps: readonly RunStepView[]): Map<string, RunStepView> {
  const byNode = new Map<string, RunStepView>();
  for (const step of steps) {
    if (step.nodeId) byNode.set(step.nodeId, step);
  }
  return byNode;
}
