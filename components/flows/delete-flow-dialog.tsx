'use client';

import { AlertDialog } from 'radix-ui';
import { FormError } from '@/components/ui/form-error';
import { Spinner } from '@/components/ui/spinner';

export function DeleteFlowDialog({
  flow,
  pending,
  error,
  onConfirm,
  onOpenChange,
  onCloseAutoFocus,
}: {
  flow: { name: string; state: string } | null;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onOpenChange: (open: boolean) => void;
  onCloseAutoFocus: (event: Event) => void;
}) {
  return (
    <AlertDialog.Root open={flow !== null} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <AlertDialog.Content
          data-testid="delete-flow-dialog"
          onCloseAutoFocus={onCloseAutoFocus}
          className="fixed left-1/2 top-1/2 z-50 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl border border-slate-200 bg-white p-6 shadow-xl dark:border-slate-800 dark:bg-slate-900"
        >
          <AlertDialog.Title className="text-base font-semibold">Delete “{flow?.name}”?</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            {flow?.state === 'running' ? 'The flow is running: it is stopped first. ' : ''}
            Its versions and its run history are deleted with it. This cannot be undone.
          </AlertDialog.Description>
          <div className="mt-3">
            <FormError message={error} />
          </div>
          <div className="mt-5 flex justify-end gap-2">
            <AlertDialog.Cancel className="btn-secondary">Cancel</AlertDialog.Cancel>
            <button type="button" className="btn bg-red-600 text-white hover:bg-red-700" disabled={pending} onClick={onConfirm}>
              {pending && <Spinner />}
              Delete flow
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
