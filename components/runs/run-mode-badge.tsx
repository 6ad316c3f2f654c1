/** Test runs (the draft, started from the editor) look different from live ones, so nobody mistakes them. */
export function RunModeBadge({ mode }: { mode: string }) {
  if (mode === 'test') {
    return (
      <span className="rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-inset ring-violet-600/20 dark:bg-violet-950 dark:text-violet-200">
        Test
      </span>
    );
  }
  return (
    <span className="rounded-full bg-white px-2 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:text-slate-300 dark:ring-slate-700">
      Live
    </span>
  );
}
