'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormError } from '@/components/ui/form-error';
import { Icon } from '@/components/ui/icon';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';

interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

const tokenKeys = { all: ['api-tokens'] as const };

export function ApiTokens() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [expiresInDays, setExpiresInDays] = useState<string>('90');
  const [revealed, setRevealed] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);

  const tokens = useQuery({ queryKey: tokenKeys.all, queryFn: () => apiFetch<{ tokens: ApiToken[] }>('/api/tokens') });
  const create = useMutation({
    mutationFn: () =>
      apiFetch<{ token: ApiToken; secret: string }>('/api/tokens', {
        method: 'POST',
        body: { name, expiresInDays: Number(expiresInDays) },
      }),
    onSuccess: (data) => {
      setRevealed({ name: data.token.name, secret: data.secret });
      setCopied(false);
      setName('');
      void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch<void>(`/api/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });

  return (
    <section className="card p-6" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" className="text-base font-semibold">
        Personal API tokens
      </h2>
      <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
        Send a token as <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">Authorization: Bearer &lt;token&gt;</code> to call the
        API from scripts. A token acts as you until it expires (at most a year); revoke it when it is no longer needed. A token made with
        another token ends no later than that one, and is revoked with it.
      </p>

      <form
        className="mt-5 flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <div className="min-w-56 flex-1">
          <label htmlFor="token-name" className="field-label">
            Token name
          </label>
          <input
            id="token-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Deployment script"
            maxLength={80}
            className="field-input"
          />
        </div>
        <div>
          <label htmlFor="token-expiry" className="field-label">
            Expires
          </label>
          <select id="token-expiry" value={expiresInDays} onChange={(e) => setExpiresInDays(e.target.value)} className="field-input">
            <option value="30">In 30 days</option>
            <option value="90">In 90 days</option>
            <option value="365">In a year</option>
          </select>
        </div>
        <button type="submit" className="btn-primary" disabled={create.isPending || name.trim() === ''}>
          <Icon name="plus" className="h-4 w-4" />
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      <div className="mt-3">
        <FormError
          message={create.error instanceof ApiRequestError ? create.error.message : create.error ? 'Could not create the token.' : null}
        />
      </div>

      {revealed && (
        <div
          role="status"
          className="mt-4 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm dark:border-emerald-800 dark:bg-emerald-950"
        >
          <p className="font-medium text-emerald-900 dark:text-emerald-100">
            Copy your new token “{revealed.name}” now. It will not be shown again.
          </p>
          <div className="mt-2 flex items-center gap-2">
            <code
              data-testid="new-token"
              className="min-w-0 flex-1 truncate rounded bg-white px-2 py-1.5 font-mono text-xs dark:bg-slate-900"
            >
              {revealed.secret}
            </code>
            <button
              type="button"
              className="btn-secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(revealed.secret).catch(() => undefined);
                setCopied(true);
              }}
            >
              <Icon name="copy" className="h-4 w-4" />
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button type="button" className="btn-secondary" onClick={() => setRevealed(null)}>
              Done
            </button>
          </div>
        </div>
      )}

      <div className="mt-6">
        {tokens.isPending ? (
          <p className="text-sm text-slate-500">Loading tokens…</p>
        ) : tokens.isError ? (
          <FormError message="Could not load your tokens. Reload the page to try again." />
        ) : tokens.data.tokens.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">You have no API tokens.</p>
        ) : (
          <ul
            className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800"
            aria-label="API tokens"
          >
            {tokens.data.tokens.map((token) => (
              <li key={token.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
                <div className="flex min-w-0 items-center gap-3">
                  <Icon name="key" className="h-4 w-4 shrink-0 text-slate-400" />
                  <div className="min-w-0">
                    <p className="truncate text-sm font-medium">{token.name}</p>
                    <p className="text-xs text-slate-500 dark:text-slate-400">
                      <span className="font-mono">{token.prefix}…</span> · created {formatDate(token.createdAt)} ·{' '}
                      {token.lastUsedAt ? `last used ${formatDate(token.lastUsedAt)}` : 'never used'} ·{' '}
                      {token.expiresAt ? `expires ${formatDate(token.expiresAt)}` : 'does not expire'}
                    </p>
                  </div>
                </div>
                <button
                  type="button"
                  className="btn-danger"
                  disabled={revoke.isPending && revoke.variables === token.id}
                  onClick={() => {
                    if (window.confirm(`Revoke the token “${token.name}”? Scripts using it will stop working.`)) revoke.mutate(token.id);
                  }}
                >
                  Revoke<span className="sr-only"> {token.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}
