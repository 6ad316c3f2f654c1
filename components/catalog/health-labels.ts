import type { AccountHealth } from '@/lib/dynamics/accounts/account-view';

export const healthLabel: Record<AccountHealth, { text: string; tone: string }> = {
  connected: { text: 'Connected', tone: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-200' },
  needs_reconnect: { text: 'Needs reconnecting', tone: 'bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-950 dark:text-red-200' },
  expiring_soon: {
    text: 'Credentials expiring soon',
    tone: 'bg-amber-50 text-amber-900 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-200',
  },
  unverified: { text: 'Not checked yet', tone: 'bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-800 dark:text-slate-300' },
};
