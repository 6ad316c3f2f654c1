import { nodeTypeLabel } from '@/lib/runs/node-type-label';

/** The flow's trigger in words, from the list answer (which names it). */
export function FlowTriggerLabel({ type }: { type: string | null | undefined }) {
  if (!type)
    return (
      <span data-testid="flow-trigger" className="italic text-slate-500 dark:text-slate-400">
        No trigger yet
      </span>
    );
  return <span data-testid="flow-trigger">{nodeTypeLabel(type)}</span>;
}
