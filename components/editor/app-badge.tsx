import { Icon, type IconName } from '@/components/ui/icon';

const APPS: Record<string, { icon: IconName; className: string; label: string }> = {
  dynamics: { icon: 'catalog', className: 'bg-brand-50 text-brand-700 dark:bg-brand-700/20 dark:text-brand-100', label: 'Dynamics 365' },
  scheduler: { icon: 'clock', className: 'bg-amber-50 text-amber-700 dark:bg-amber-900/30 dark:text-amber-200', label: 'Scheduler' },
  api: { icon: 'bolt', className: 'bg-violet-50 text-violet-700 dark:bg-violet-900/30 dark:text-violet-200', label: 'API' },
  manual: { icon: 'play', className: 'bg-violet-50 text-violet-700 dark:bg-violet-900/30 dark:text-violet-200', label: 'Manual' },
  http: { icon: 'globe', className: 'bg-sky-50 text-sky-700 dark:bg-sky-900/30 dark:text-sky-200', label: 'HTTP' },
  toolbox: { icon: 'flows', className: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200', label: 'Toolbox' },
};

/** The application's icon on a coloured tile. */
export function AppBadge({ application, size = 'md' }: { application: string; size?: 'sm' | 'md' }) {
  const app = APPS[application] ?? APPS.toolbox!;
  const box = size === 'sm' ? 'h-6 w-6' : 'h-8 w-8';
  return (
    <span className={`flex ${box} shrink-0 items-center justify-center rounded-md ${app.className}`} title={app.label}>
      <Icon name={app.icon} className={size === 'sm' ? 'h-3.5 w-3.5' : 'h-4.5 w-4.5'} />
      <span className="sr-only">{app.label}</span>
    </span>
  );
}
