'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AlertDialog } from 'radix-ui';
import { useEffect } from 'react';
import { FormError } from '@/components/ui/form-error';
import { MODAL_OVERLAY, modalPanel } from '@/components/ui/modal';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import { accountKeys } from './catalog-keys';

export function RemoveAccountDialog({
  account,
  onClose,
  returnFocusTo,
}: {
  account: AccountView | null;
  onClose: () => void;
  returnFocusTo?: HTMLElement | null;
}) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => apiFetch<void>(`/api/accounts/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
      onClose();
    },
  });
  const active = account?.flows.filter((f) => f.status === 'active') ?? [];
  const { reset } = remove;
  // A previous attempt's error belongs to that attempt, not to the next account.
  useEffect(() => reset(), [account?.id, reset]);

  return (
    <AlertDialog.Root open={account !== null} onOpenChange={(open) => !open && onClose()}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={MODAL_OVERLAY} />
        <AlertDialog.Content
          data-testid="remove-account-dialog"
          className={modalPanel()}
          onCloseAutoFocus={(event) => {
            if (!returnFocusTo?.isConnected) return;
            event.preventDefault();
            returnFocusTo.focus();
          }}
        >
          {account && (
            <>
              <div className="border-b border-slate-200 px-6 py-4 dark:border-slate-800">
                <AlertDialog.Title className="text-base font-semibold">Remove {account.name}?</AlertDialog.Title>
              </div>
              <div className="space-y-4 overflow-y-auto px-6 py-5 text-sm">
                {account.flows.length === 0 ? (
                  <AlertDialog.Description>
                    No flow uses this account. Its stored credentials are deleted; the Dynamics organization itself is not touched.
                  </AlertDialog.Description>
                ) : (
                  <>
                    <AlertDialog.Description>
                      These flows use this account and will stop working until you pick another account in them:
                    </AlertDialog.Description>
                    <ul className="list-inside list-disc" data-testid="remove-flows">
                      {account.flows.map((f) => (
                        <li key={f.id}>
                          {f.name} {f.status === 'active' && <span className="text-amber-700 dark:text-amber-300">(running)</span>}
                        </li>
                      ))}
                    </ul>
                    {active.length > 0 && (
                      <p className="font-medium text-amber-800 dark:text-amber-200">
                        Stop the running flows first; an account in use by a running flow cannot be removed.
                      </p>
                    )}
                  </>
                )}
                <FormError
                  message={
                    remove.error instanceof ApiRequestError ? remove.error.message : remove.error ? 'Could not remove the account.' : null
                  }
                />
                <div className="flex justify-end gap-2">
                  <AlertDialog.Cancel className="btn-secondary">Cancel</AlertDialog.Cancel>
                  {/* Not AlertDialog.Action: that closes at once, and the dialog must stay to show a refusal. */}
                  <button
                    type="button"
                    className="btn-primary bg-red-600 hover:bg-red-700"
                    disabled={remove.isPending || active.length > 0}
                    onClick={() => remove.mutate(account.id)}
                  >
                    {remove.isPending ? 'Removing…' : 'Remove account'}
                  </button>
                </div>
              </div>
            </>
          )}
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
