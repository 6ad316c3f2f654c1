import type { RunStepView } from '@/lib/flows/service/run-view';

/** What a step is called on the page: the node's name from the flow, else its id. */
export function stepLabel(step: RunStepView, names: Map<string, string>): string {
  return (step.nodeId && names.get(step.nodeId)) || step.nodeId || step.stepId;
}
