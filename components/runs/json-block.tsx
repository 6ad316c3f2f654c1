'use client';

import { useState } from 'react';
import { jsonPreview } from '@/lib/runs/json-preview';

/**
 * A recorded value (input, output, error, trigger data) as pretty JSON in a collapsible block. The
 * summary line says what it is; closed blocks cost nothing to render, so a big run stays quick.
 */
export function JsonBlock({
  label,
  value,
  defaultOpen = false,
  tone = 'plain',
  emptyText = 'Nothing recorded.',
  testId,
}: {
  label: string;
  value: unknown;
  defaultOpen?: boolean;
  tone?: 'plain' | 'error';
  emptyText?: string;
  testId?: string;
}) {
  const [open, setOpen] = useState(defaultOpen);
  const preview = open ? jsonPreview(value) : null;
  const empty = value === undefined || value === null;
  const frame =
    tone === 'error'
      ? 'border-red-200 bg-red-50/60 dark:border-red-900 dark:bg-red-950/40'
      : 'border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-950/40';
  const divider = tone === 'error' ? 'border-red-200 dark:border-red-900' : 'border-slate-200 dark:border-slate-800';
  return (
    <details
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
      className={`group rounded-lg border ${frame}`}
      data-testid={testId}
    >
      <summary className="flex cursor-pointer select-none items-center gap-2 px-3 py-2 text-sm font-medium text-slate-800 marker:content-none dark:text-slate-200">
        <svg viewBox="0 0 24 24" aria-hidden="true" className="h-3.5 w-3.5 shrink-0 transition-transform group-open:rotate-90">
          <path d="M9 6l6 6-6 6" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {label}
        {empty && <span className="font-normal text-slate-500 dark:text-slate-400">— empty</span>}
      </summary>
      {preview && (
        <div className={`border-t px-3 py-2 ${divider}`}>
          {preview.empty ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">{emptyText}</p>
          ) : (
            <>
              <pre className="max-h-80 overflow-auto whitespace-pre-wrap break-words font-mono text-xs leading-relaxed text-slate-800 dark:text-slate-200">
                {preview.text}
              </pre>
              {preview.fullLength !== undefined && (
                <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
                  Showing the first {preview.text.length.toLocaleString('en')} of {preview.fullLength.toLocaleString('en')} characters.
                </p>
              )}
            </>
          )}
        </div>
      )}
    </details>
  );
}
