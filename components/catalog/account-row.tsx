'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Spinner } from '@/components/ui/spinner';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import { AccountMenu } from './account-menu';
import { accountKeys } from './catalog-keys';
import { authMethod } from '@/lib/dynamics/connector/auth/connection-methods';
import { healthLabel } from './health-labels';
import { useRenameAccount } from './use-rename-account';

interface Notice {
  tone: 'ok' | 'error' | 'busy';
  text: string;
}

export function AccountRow({
  account,
  highlighted,
  onUpdateCredentials,
  onRemove,
}: {
  account: AccountView;
  highlighted: boolean;
  onUpdateCredentials: (opener: HTMLElement | null) => void;
  onRemove: (opener: HTMLElement | null) => void;
}) {
  const queryClient = useQueryClient();
  const [renaming, setRenaming] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const rename = useRenameAccount();
  const rowRef = useRef<HTMLLIElement>(null);
  // The menu's button: renaming ends with focus back on it.
  const menuButton = useRef<HTMLButtonElement | null>(null);
  const endRenaming = () => {
    setRenaming(false);
    menuButton.current?.focus();
  };

  useEffect(() => {
    if (highlighted) rowRef.current?.scrollIntoView({ block: 'center' });
  }, [highlighted]);

  const test = useMutation({
    mutationFn: () => apiFetch<{ ok: boolean; message: string }>(`/api/accounts/${account.id}/test`, { method: 'POST' }),
    onMutate: () => setNotice({ tone: 'busy', text: 'Testing the connection…' }),
    onSuccess: (result) => setNotice({ tone: result.ok ? 'ok' : 'error', text: result.message }),
    onError: (err) => setNotice({ tone: 'error', text: err instanceof ApiRequestError ? err.message : 'The test could not run.' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountKeys.all }),
  });
  const refresh = useMutation({
    mutationFn: () => apiFetch<{ tables: number }>(`/api/accounts/${account.id}/refresh-metadata`, { method: 'POST' }),
    onMutate: () => setNotice({ tone: 'busy', text: 'Reading tables and columns from the organization…' }),
    onSuccess: (result) => {
      setNotice({ tone: 'ok', text: `Metadata refreshed: ${result.tables} tables available.` });
      void queryClient.invalidateQueries({ queryKey: ['connectors'] });
    },
    onError: (err) => setNotice({ tone: 'error', text: err instanceof ApiRequestError ? err.message : 'Could not refresh the metadata.' }),
  });

  const health = healthLabel[account.health];

  return (
    <li
      ref={rowRef}
      data-testid="account-row"
      data-account-id={account.id}
      className={`px-4 py-3 transition-colors ${highlighted ? 'bg-brand-50/70 dark:bg-slate-800/70' : ''}`}
    >
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0 flex-1">
          {renaming ? (
            <RenameForm
              initial={account.name}
              onCancel={endRenaming}
              onSave={(name) => {
                endRenaming();
                if (name === account.name) return;
                rename.mutate(
                  { id: account.id, name },
                  {
                    onSuccess: () => setNotice({ tone: 'ok', text: `Renamed to “${name}”. Flows that use it keep working.` }),
                    onError: (err) =>
                      setNotice({
                        tone: 'error',
                        text: `${err instanceof ApiRequestError ? err.message : 'Could not rename the account.'} The name was put back.`,
                      }),
                  },
                );
              }}
            />
          ) : (
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-medium" data-testid="account-name">
                {account.name}
              </span>
              <span
                className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${health.tone}`}
                data-testid="account-health"
              >
                {health.text}
              </span>
              {account.isSandbox && (
                <span className="rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-inset ring-violet-600/20 dark:bg-violet-950 dark:text-violet-200">
                  Sandbox
                </span>
              )}
            </p>
          )}
          <p className="mt-1 truncate text-sm text-slate-600 dark:text-slate-300">{account.serviceUrl}</p>
          <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
            {account.principal ? <>Signed in as {account.principal} · </> : null}
            {authMethod(account.method).shortTitle} · API {account.apiVersion} ·{' '}
            {account.flows.length === 0 ? 'Not used by any flow' : `Used by ${account.flows.map((f) => f.name).join(', ')}`}
          </p>
          {account.healthReason && account.health !== 'connected' && (
            <p className="mt-1 text-xs text-red-700 dark:text-red-300">{account.healthReason}</p>
          )}
          {notice && (
            <p
              role="status"
              data-testid="account-notice"
              className={`mt-2 flex items-center gap-2 text-sm ${notice.tone === 'error' ? 'text-red-700 dark:text-red-300' : notice.tone === 'ok' ? 'text-emerald-700 dark:text-emerald-300' : 'text-slate-600 dark:text-slate-300'}`}
            >
              {notice.tone === 'busy' && <Spinner />}
              {notice.text}
            </p>
          )}
        </div>
        <AccountMenu
          label={account.name}
          actions={[
            {
              id: 'rename',
              label: 'Rename',
              movesFocus: true,
              onSelect: (trigger) => {
                menuButton.current = trigger;
                setRenaming(true);
              },
            },
            { id: 'credentials', label: 'Update credentials', movesFocus: true, onSelect: onUpdateCredentials },
            { id: 'test', label: 'Test connection', onSelect: () => test.mutate() },
            { id: 'metadata', label: 'Refresh metadata', onSelect: () => refresh.mutate() },
            { id: 'remove', label: 'Remove', danger: true, movesFocus: true, onSelect: onRemove },
          ]}
        />
      </div>
    </li>
  );
}

function RenameForm({ initial, onSave, onCancel }: { initial: string; onSave: (name: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(initial);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    inputRef.current?.select();
  }, []);
  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        const name = value.trim();
        if (name) onSave(name);
      }}
    >
      <label htmlFor="rename-account" className="sr-only">
        Account name
      </label>
      <input
        id="rename-account"
        ref={inputRef}
        value={value}
        maxLength={80}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
        className="field-input max-w-xs py-1"
      />
      <button type="submit" className="btn-primary py-1" disabled={!value.trim()}>
        Save
      </button>
      <button type="button" className="btn-secondary py-1" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
