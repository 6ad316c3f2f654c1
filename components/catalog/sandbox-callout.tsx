'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormError } from '@/components/ui/form-error';
import { Spinner } from '@/components/ui/spinner';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import { SANDBOX_ORGANIZATIONS, sandboxOrganizationInfo, type SandboxOrganization } from '@/lib/dynamics/accounts/sandbox-defaults';
import { accountKeys } from './catalog-keys';

/** What each sandbox organization holds, in plain words, so the choice says why one would pick the second. */
const SUMMARIES: Record<SandboxOrganization, string> = {
  first: 'Sample accounts, contacts, leads, orders, invoices and products.',
  second:
    'Its own tenant, user and data: leads have a Lead Score and other Lead Source choices, and there is a Milestone table. Connect both to see a step’s fields change with its account.',
};

/** The name the one-click connect gives each organization's account: two sandboxes, two names. */
const ONE_CLICK_NAMES: Record<SandboxOrganization, string> = {
  first: 'Dynamics 365 sandbox',
  second: 'Dynamics 365 sandbox — Fabrikam',
};

export const sandboxOrganizationLabel = (organization: SandboxOrganization) => `Sandbox — ${sandboxOrganizationInfo(organization).title}`;

/** A choice between the built-in sandbox's two organizations (radio buttons, so both are always in view). */
export function SandboxOrganizationChoice({
  name,
  value,
  onChange,
  disabled,
}: {
  /** The radio group's name, unique on the page. */
  name: string;
  value: SandboxOrganization;
  onChange: (organization: SandboxOrganization) => void;
  disabled?: boolean;
}) {
  return (
    <fieldset disabled={disabled}>
      <legend className="field-label">Sandbox organization</legend>
      <div className="mt-1 grid gap-2 sm:grid-cols-2">
        {SANDBOX_ORGANIZATIONS.map((organization) => (
          <label
            key={organization}
            className={`flex cursor-pointer gap-3 rounded-lg border px-3 py-2 text-sm transition-colors ${
              value === organization
                ? 'border-brand-500 bg-white dark:bg-slate-800'
                : 'border-slate-200 bg-white/60 hover:border-slate-300 dark:border-slate-700 dark:bg-slate-900'
            }`}
          >
            <input
              type="radio"
              name={name}
              value={organization}
              checked={value === organization}
              onChange={() => onChange(organization)}
              className="mt-0.5 accent-brand-600"
            />
            <span>
              <span className="block font-medium">{sandboxOrganizationLabel(organization)}</span>
              <span className="block text-slate-600 dark:text-slate-400">{SUMMARIES[organization]}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** First run: one click connects a built-in sandbox organization, so a flow can run at once. */
export function SandboxCallout({ onConnected }: { onConnected: (account: AccountView) => void }) {
  const queryClient = useQueryClient();
  const [organization, setOrganization] = useState<SandboxOrganization>('first');
  const connect = useMutation({
    mutationFn: (chosen: SandboxOrganization) =>
      apiFetch<{ account: AccountView }>('/api/accounts', {
        method: 'POST',
        body: { method: 'password', useSandbox: true, sandboxOrganization: chosen, name: ONE_CLICK_NAMES[chosen] },
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
            A built-in Dynamics 365 tenant with two sample organizations. Connect one in one click and build your first flow against it;
            connect the other, or your real organization, whenever you are ready.
          </p>
        </div>
        <button type="button" className="btn-primary" disabled={connect.isPending} onClick={() => connect.mutate(organization)}>
          {connect.isPending && <Spinner />}
          {connect.isPending ? 'Connecting…' : 'Connect the sandbox'}
        </button>
      </div>
      <div className="mt-4">
        <SandboxOrganizationChoice
          name="callout-sandbox-organization"
          value={organization}
          onChange={setOrganization}
          disabled={connect.isPending}
        />
      </div>
      {connect.error && (
        <div className="mt-3">
          <FormError message={connect.error instanceof ApiRequestError ? connect.error.message : 'Could not connect the sandbox.'} />
        </div>
      )}
    </div>
  );
}
