import type { FlowState } from '@/lib/flows/service/flow-list-item';

const LOOK: Record<FlowState, { tone: string; dot: string }> = {
  draft_problems: {
    tone: 'bg-amber-50 text-amber-900 ring-amber-600/25 dark:bg-amber-950 dark:text-amber-200',
    dot: 'bg-amber-500',
  },
  draft_ready: {
    tone: 'bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-800 dark:text-slate-300',
    dot: 'bg-slate-400',
  },
  running: {
    tone: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-200',
    dot: 'bg-emerald-500',
  },
  stopped: {
    tone: 'bg-slate-50 text-slate-600 ring-slate-400/30 dark:bg-slate-900 dark:text-slate-400',
    dot: 'bg-slate-400 ring-2 ring-slate-200 dark:ring-slate-700',
  },
};

export function flowStateText(state: FlowState, problemCount: number): string {
  switch (state) {
    case 'draft_problems':
      return problemCount === 1 ? 'Draft · 1 problem' : `Draft · ${problemCount} problems`;
    case 'draft_ready':
      return 'Draft · ready';
    case 'running':
      return 'Running';
    case 'stopped':
      return 'Stopped';
  }
}

/** `compact`: the copy shown under the name on narrow screens (the table's own column is hidden there). */
export function FlowStateBadge({ state, problemCount, compact }: { state: FlowState; problemCount: number; compact?: boolean }) {
  const look = LOOK[state];
  return (
    <span
      data-testid={compact ? undefined : 'flow-status'}
      data-state={state}
      className={`inline-flex shrink-0 items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${look.tone}`}
    >
      <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${look.dot} ${state === 'running' ? 'animate-pulse' : ''}`} />
      {flowStateText(state, problemCount)}
    </span>
  );
}
