'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { FormError } from '@/components/ui/form-error';
import { Icon } from '@/components/ui/icon';
import { Spinner } from '@/components/ui/spinner';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import { CONNECTOR_ID } from '@/lib/dynamics/connector/ids';
import { ApplicationCard } from './application-card';
import { connectorKeys } from './catalog-keys';
import { ConnectDialog } from './connect-dialog';
import { connectErrorMessage } from './connect-error-messages';
import { fetchCatalogApplications } from './connectors-adapter';
import { RemoveAccountDialog } from './remove-account-dialog';
import { SandboxCallout } from './sandbox-callout';
import { useAccounts } from './use-accounts';

export function CatalogView({ sandboxAvailable }: { sandboxAvailable: boolean }) {
  const params = useSearchParams();
  const router = useRouter();
  const [search, setSearch] = useState('');
  const [highlightId, setHighlightId] = useState<string | null>(params.get('connected'));
  const [expanded, setExpanded] = useState<Record<string, boolean>>(() =>
    params.get('connected') ? { dynamics: true } : ({} as Record<string, boolean>),
  );
  const [connecting, setConnecting] = useState<{ account?: AccountView } | null>(null);
  const [removing, setRemoving] = useState<AccountView | null>(null);
  // What opened the last dialog, kept past its closing: that is when focus goes back to it.
  const [opener, setOpener] = useState<HTMLElement | null>(null);
  const callbackError = connectErrorMessage(params.get('connectError'));

  const applications = useQuery({ queryKey: connectorKeys.all, queryFn: fetchCatalogApplications });
  const accounts = useAccounts();

  const visible = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (applications.data ?? []).filter((app) => !q || `${app.title} ${app.description}`.toLowerCase().includes(q));
  }, [applications.data, search]);

  const dynamicsAccounts = (accounts.data ?? []).filter((a) => a.application === CONNECTOR_ID);

  return (
    <div>
      <div className="mb-6 flex flex-wrap items-center gap-3">
        <div className="relative min-w-64 flex-1 sm:max-w-sm">
          <Icon name="search" className="pointer-events-none absolute left-3 top-2.5 h-4 w-4 text-slate-400" />
          <label htmlFor="catalog-search" className="sr-only">
            Search applications
          </label>
          <input
            id="catalog-search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Search applications"
            className="field-input pl-9"
          />
        </div>
      </div>

      {sandboxAvailable && accounts.isSuccess && dynamicsAccounts.length === 0 && !search && (
        <SandboxCallout
          onConnected={(account) => {
            setExpanded((e) => ({ ...e, dynamics: true }));
            setHighlightId(account.id);
          }}
        />
      )}

      {callbackError && (
        <div className="mb-4">
          <FormError message={callbackError} />
        </div>
      )}

      {applications.isPending ? (
        <p className="flex items-center gap-2 text-sm text-slate-600">
          <Spinner /> Loading the catalog…
        </p>
      ) : applications.isError ? (
        <FormError message="Could not load the catalog. Reload the page to try again." />
      ) : visible.length === 0 ? (
        <p className="text-sm text-slate-500">No application matches “{search}”.</p>
      ) : (
        <div className="space-y-4">
          {visible.map((app) => (
            <ApplicationCard
              key={app.id}
              app={app}
              accounts={app.kind === 'application' ? dynamicsAccounts : undefined}
              expanded={Boolean(expanded[app.id])}
              onToggle={() => setExpanded((e) => ({ ...e, [app.id]: !e[app.id] }))}
              highlightId={highlightId}
              onConnect={(from) => {
                setOpener(from);
                setConnecting({});
              }}
              onUpdateCredentials={(account, from) => {
                setOpener(from);
                setConnecting({ account });
              }}
              onRemove={(account, from) => {
                setOpener(from);
                setRemoving(account);
              }}
            />
          ))}
        </div>
      )}

      <ConnectDialog
        open={connecting !== null}
        account={connecting?.account}
        returnFocusTo={opener}
        onClose={() => setConnecting(null)}
        onConnected={(account) => {
          setConnecting(null);
          setExpanded((e) => ({ ...e, dynamics: true }));
          setHighlightId(account.id);
          if (params.get('connected') || callbackError) router.replace('/catalog');
        }}
      />
      <RemoveAccountDialog account={removing} returnFocusTo={opener} onClose={() => setRemoving(null)} />
    </div>
  );
}
