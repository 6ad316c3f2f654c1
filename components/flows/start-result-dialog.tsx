'use client';

import Link from 'next/link';
import { Dialog } from 'radix-ui';
import type { Problem } from '@/lib/flows/model/problem';

const SHOWN = 6;

export type StartResult =
  | { kind: 'refused'; flowId: string; name: string; message: string; problems: Problem[] }
  | { kind: 'key'; flowId: string; name: string; invokeUrl: string; invokeKey: string };

/** Why a start was refused, in the problems' own words; or an API flow's key, shown this once. */
export function StartResultDialog({
  result,
  onClose,
  onCloseAutoFocus,
}: {
  result: StartResult | null;
  onClose: () => void;
  onCloseAutoFocus: (event: Event) => void;
}) {
  const more = result?.kind === 'refused' ? result.problems.length - SHOWN : 0;
  return (
    <Dialog.Root open={result !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <Dialog.Content
          data-testid="start-result-dialog"
          onCloseAutoFocus={onCloseAutoFocus}
          className="fixed left-1/2 top-1/2 z-50 w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 rounded-xl border border-slate-200 bg-white p-6 shadow-xl dark:border-slate-800 dark:bg-slate-900"
        >
          {result?.kind === 'refused' && (
            <>
              <Dialog.Title className="text-base font-semibold">“{result.name}” was not started</Dialog.Title>
              <Dialog.Description className="mt-2 text-sm text-slate-600 dark:text-slate-400">
                {result.problems.length > 0 ? 'Fix these in the editor, then start it again:' : result.message}
              </Dialog.Description>
              {result.problems.length > 0 && (
                <ul className="mt-3 space-y-2 text-sm" data-testid="start-problems">
                  {result.problems.slice(0, SHOWN).map((p, i) => (
                    <li key={i} className="rounded-md bg-amber-50 px-3 py-2 text-amber-950 dark:bg-amber-950 dark:text-amber-100">
                      {p.message}
                    </li>
                  ))}
                  {more > 0 && <li className="text-slate-600 dark:text-slate-400">…and {more} more.</li>}
                </ul>
              )}
              <div className="mt-5 flex justify-end gap-2">
                <Dialog.Close className="btn-secondary">Close</Dialog.Close>
                <Link href={`/flows/${result.flowId}`} className="btn-primary">
                  Open in the editor
                </Link>
              </div>
            </>
          )}
          {result?.kind === 'key' && (
            <>
              <Dialog.Title className="text-base font-semibold">“{result.name}” is running</Dialog.Title>
              <Dialog.Description className="mt-2 text-sm text-slate-600 dark:text-slate-400">
                Call it with this key in the X-Flow-Key header. It is shown only now: copy it before you close this window.
              </Dialog.Description>
              <dl className="mt-3 space-y-2 text-sm">
                <div>
                  <dt className="font-medium">Address</dt>
                  <dd className="break-all font-mono text-xs">POST {result.invokeUrl}</dd>
                </div>
                <div>
                  <dt className="font-medium">Key</dt>
                  <dd className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-xs dark:bg-slate-800" data-testid="invoke-key">
                    {result.invokeKey}
                  </dd>
                </div>
              </dl>
              <div className="mt-5 flex justify-end">
                <Dialog.Close className="btn-primary">Done</Dialog.Close>
              </div>
            </>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
