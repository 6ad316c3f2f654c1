'use client';

import { nodeTypeLabel } from '@/lib/runs/node-type-label';
import { useFlow } from './use-flow';

/**
 * The flow's trigger in words. The list answer has no trigger (it carries no document), so each
 * row reads its flow; react-query shares the answer with the flow's other pages.
 */
export function FlowTriggerLabel({ flowId }: { flowId: string }) {
  const flow = useFlow(flowId);
  if (flow.isPending)
    return <span className="inline-block h-3 w-20 animate-pulse rounded bg-slate-200 dark:bg-slate-700" aria-hidden="true" />;
  if (flow.isError) return <span className="text-slate-400">—</span>;
  return <span data-testid="flow-trigger">{flow.data.trigger ? nodeTypeLabel(flow.data.trigger.type) : 'No trigger yet'}</span>;
}
