import type { FlowSummary } from '@/lib/flows/service/flow-view';

type FlowStatus = FlowSummary['status'];

const LOOK: Record<FlowStatus, { text: string; tone: string; dot: string }> = {
  draft: {
    text: 'Draft',
    tone: 'bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-800 dark:text-slate-300',
    dot: 'bg-slate-400',
  },
  active: {
    text: 'Started',
    tone: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-200',
    dot: 'bg-emerald-500',
  },
  stopped: {
    text: 'Stopped',
    tone: 'bg-amber-50 text-amber-900 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-200',
    dot: 'bg-amber-500',
  },
};

export function FlowStatusBadge({ status }: { status: FlowStatus }) {
  const look = LOOK[status] ?? LOOK.draft;
  return (
    <span
      data-testid="flow-status"
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${look.tone}`}
    >
      <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${look.dot}`} />
      {look.text}
    </span>
  );
}
