import { Icon, type IconName } from '@/components/ui/icon';
import { Spinner } from '@/components/ui/spinner';

/** Run and step statuses, in words and colour (the colour is never the only sign: there is always a word). */
const LOOK: Record<string, { text: string; tone: string; icon?: IconName; busy?: boolean }> = {
  queued: { text: 'Queued', tone: 'bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-800 dark:text-slate-300', icon: 'clock' },
  running: { text: 'Running', tone: 'bg-sky-50 text-sky-800 ring-sky-600/20 dark:bg-sky-950 dark:text-sky-200', busy: true },
  succeeded: {
    text: 'Succeeded',
    tone: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-200',
    icon: 'check',
  },
  failed: { text: 'Failed', tone: 'bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-950 dark:text-red-200', icon: 'alert' },
  cancelled: {
    text: 'Cancelled',
    tone: 'bg-amber-50 text-amber-900 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-200',
    icon: 'close',
  },
  skipped: { text: 'Skipped', tone: 'bg-slate-50 text-slate-600 ring-slate-400/20 dark:bg-slate-900 dark:text-slate-400' },
};

export function runStatusText(status: string): string {
  return LOOK[status]?.text ?? status;
}

export function RunStatusBadge({ status, size = 'sm' }: { status: string; size?: 'sm' | 'md' }) {
  const look = LOOK[status] ?? { text: status, tone: LOOK.queued!.tone };
  const sizing = size === 'md' ? 'px-2.5 py-1 text-sm' : 'px-2 py-0.5 text-xs';
  return (
    <span
      data-testid="run-status"
      data-status={status}
      className={`inline-flex items-center gap-1 rounded-full font-medium ring-1 ring-inset ${sizing} ${look.tone}`}
    >
      {look.busy ? <Spinner className="h-3 w-3" /> : look.icon ? <Icon name={look.icon} className="h-3.5 w-3.5" /> : null}
      {look.text}
    </span>
  );
}
