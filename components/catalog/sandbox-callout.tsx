'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormError } from '@/components/ui/form-error';
import { Spinner } from '@/components/ui/spinner';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import { accountKeys } from './catalog-keys';

/** First run: one click connects the built-in sandbox organization, so a flow can run at once. */
export function SandboxCallout({ onConnected }: { onConnected: (account: AccountView) => void }) {
  const queryClient = useQueryClient();
  const connect = useMutation({
    mutationFn: () =>
      apiFetch<{ account: AccountView }>('/api/accounts', {
        method: 'POST',
        body: { method: 'password', useSandbox: true, name: 'Dynamics 365 sandbox' },
      }),
    onSuccess: ({ account }) => {
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
      onConnected(account);
    },
  });
  return (
    <div
      className="mb-6 rounded-xl border border-brand-100 bg-brand-50 p-5 dark:border-slate-700 dark:bg-slate-900"
      data-testid="sandbox-callout"
    >
      <div className="flex flex-wrap items-center gap-4">
        <div className="min-w-0 flex-1">
          <h2 className="font-semibold">No Microsoft tenant at hand? Start with the sandbox.</h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
            A built-in Dynamics 365 organization with sample accounts, contacts, leads, orders, invoices and products. Connect it in one
            click and build your first flow against it; connect your real organization whenever you are ready.
          </p>
        </div>
        <button type="button" className="btn-primary" disabled={connect.isPending} onClick={() => connect.mutate()}>
          {connect.isPending && <Spinner />}
          {connect.isPending ? 'Connecting…' : 'Connect the sandbox'}
        </button>
      </div>
      {connect.error && (
        <div className="mt-3">
          <FormError message={connect.error instanceof ApiRequestError ? connect.error.message : 'Could not connect the sandbox.'} />
        </div>
      )}
    </div>
  );
}
