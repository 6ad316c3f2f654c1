'use client';

import { Icon } from '@/components/ui/icon';
import type { Problem } from '@/lib/flows/model/problem';

/** Every problem validation finds; choosing one selects its step (and field) on the canvas. */
export function ProblemsPanel({
  problems,
  titleOf,
  onSelect,
}: {
  problems: readonly Problem[];
  titleOf(nodeId: string): string | undefined;
  onSelect(problem: Problem): void;
}) {
  return (
    <section
      aria-labelledby="problems-title"
      className="max-h-48 overflow-y-auto border-t border-slate-200 bg-white px-4 py-2 dark:border-slate-800 dark:bg-slate-900"
      data-testid="problems-panel"
    >
      <h2 id="problems-title" className="mb-1 flex items-center gap-2 text-sm font-semibold">
        {problems.length === 0 ? (
          <>
            <Icon name="check" className="h-4 w-4 text-emerald-600" /> No problems: this flow can be tested and started.
          </>
        ) : (
          <>
            <Icon name="alert" className="h-4 w-4 text-amber-600" />
            {problems.length} problem{problems.length === 1 ? '' : 's'} to fix before this flow can start
          </>
        )}
      </h2>
      {problems.length > 0 && (
        <ul className="space-y-0.5">
          {problems.map((p, i) => (
            <li key={`${p.nodeId ?? ''}-${p.field ?? ''}-${p.code}-${i}`}>
              <button
                type="button"
                onClick={() => onSelect(p)}
                className="w-full rounded px-2 py-1 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
              >
                {p.nodeId && (
                  <span className="font-medium">
                    {titleOf(p.nodeId) ?? p.nodeId}
                    {fieldName(p.field) ? ` · ${fieldName(p.field)}` : ''}:{' '}
                  </span>
                )}
                <span className="text-slate-700 dark:text-slate-300">{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** `params.inputs.fields.lastname` → "lastname"; `params.accountId` → "account". */
function fieldName(field: string | undefined): string | undefined {
  if (!field) return undefined;
  if (field === 'params.accountId') return 'account';
  if (!field.startsWith('params.inputs.')) return undefined;
  return field.split('.').pop();
}
