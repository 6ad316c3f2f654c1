'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Modal } from '@/components/ui/modal';
import { FormError } from '@/components/ui/form-error';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import { useEffect } from 'react';
import { accountKeys } from './catalog-keys';

export function RemoveAccountDialog({ account, onClose }: { account: AccountView | null; onClose: () => void }) {
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
    <Modal open={account !== null} onClose={onClose} title={account ? `Remove ${account.name}?` : 'Remove account'}>
      {account && (
        <div className="space-y-4 text-sm">
          {account.flows.length === 0 ? (
            <p>No flow uses this account. Its stored credentials are deleted; the Dynamics organization itself is not touched.</p>
          ) : (
            <>
              <p>These flows use this account and will stop working until you pick another account in them:</p>
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
            message={remove.error instanceof ApiRequestError ? remove.error.message : remove.error ? 'Could not remove the account.' : null}
          />
          <div className="flex justify-end gap-2">
            <button type="button" className="btn-secondary" onClick={onClose}>
              Cancel
            </button>
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
      )}
    </Modal>
  );
}
