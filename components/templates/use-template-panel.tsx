'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { FormError } from '@/components/ui/form-error';
import { Spinner } from '@/components/ui/spinner';
import { ApiRequestError } from '@/lib/browser/api-fetch';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import { CheckResults } from './check-results';
import { unresolved, requestBody, type FixChoice } from './template-choices';
import { templateKeys } from './template-keys';
import { checkTemplate, createFromTemplate, type TemplateDetail } from './templates-client';

function Step({ n, title, children }: { n: number; title: string; children: React.ReactNode }) {
  return (
    <li className="relative pl-9">
      <span
        aria-hidden="true"
        className="absolute left-0 top-0 flex h-6 w-6 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold text-white"
      >
        {n}
      </span>
      <h3 className="text-sm font-semibold leading-6">{title}</h3>
      <div className="mt-2">{children}</div>
    </li>
  );
}

/**
 * Use a template: an account per placeholder (the sandbox first), checked at once (each account
 * signs in; the template is matched against its organization's metadata), a fix chosen for what
 * does not fit, then a draft made — opened in the editor, or opened with its Test dialog.
 */
export function UseTemplatePanel({
  template,
  accounts,
  accountsLoading,
  chosen,
  onChoose,
}: {
  template: TemplateDetail;
  accounts: readonly AccountView[];
  accountsLoading: boolean;
  chosen: Readonly<Record<string, string>>;
  onChoose(placeholder: string, accountId: string): void;
}) {
  const ids = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  const placeholders = Object.entries(template.accounts);
  const complete = placeholders.every(([p]) => accounts.some((a) => a.id === chosen[p]));
  const [choices, setChoices] = useState<Record<string, FixChoice>>({});
  const [name, setName] = useState(template.title);
  const check = useQuery({
    queryKey: [...templateKeys.detail(template.id), 'check', chosen],
    queryFn: () => checkTemplate(template.id, { ...chosen }),
    enabled: complete,
    staleTime: 30_000,
    retry: false,
  });
  const create = useMutation({
    mutationFn: async ({ tryIt }: { tryIt: boolean }) => {
      const body = { ...requestBody(chosen, check.data?.mismatches ?? [], choices), ...(name.trim() ? { name: name.trim() } : {}) };
      const { flowId } = await createFromTemplate(template.id, body);
      return { flowId, tryIt };
    },
    onSuccess: async ({ flowId, tryIt }) => {
      await queryClient.invalidateQueries({ queryKey: ['flows'] });
      router.push(`/flows/${flowId}${tryIt ? '?test=1' : ''}`);
    },
    onError: (err) => {
      // The organization changed since the check: check again so the list shows what is left.
      if (err instanceof ApiRequestError && (err.code === 'template_mismatch' || err.code === 'account_not_working')) void check.refetch();
    },
  });

  const left = check.data ? unresolved(check.data.mismatches, choices) : [];
  const failing = check.data?.accounts.filter((a) => !a.works) ?? [];
  const blocker = !complete
    ? accounts.length === 0
      ? 'Connect an account first.'
      : 'Choose an account for each step.'
    : check.isPending || check.isFetching
      ? 'Checking the account…'
      : check.isError
        ? 'The check did not finish.'
        : failing.length
          ? 'The account must work: choose another or fix it on the Catalog.'
          : left.length
            ? `Choose a fix for ${left.length === 1 ? 'the mismatch' : `${left.length} mismatches`}, or another account.`
            : undefined;
  const busy = create.isPending || create.isSuccess;
  const focusAccount = (placeholder: string) => document.getElementById(`${ids}-${placeholder}`)?.focus();

  return (
    <section aria-labelledby={`${ids}-title`} className="card p-5" data-testid="use-template">
      <h2 id={`${ids}-title`} className="text-base font-semibold">
        Use this template
      </h2>
      <ol className="mt-4 space-y-6">
        <Step n={1} title="Choose the account">
          {accounts.length === 0 && !accountsLoading ? (
            <p
              className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
              data-testid="no-accounts"
            >
              This flow runs as a Dynamics 365 account, and you have none yet.{' '}
              <Link href="/catalog" className="font-medium underline">
                Connect one on the Catalog
              </Link>{' '}
              — the built-in sandbox takes one click — then come back here.
            </p>
          ) : (
            <div className="space-y-3">
              {placeholders.map(([p, { label }]) => (
                <div key={p}>
                  <label htmlFor={`${ids}-${p}`} className="field-label">
                    {label}
                  </label>
                  <select
                    id={`${ids}-${p}`}
                    className="field-input"
                    value={chosen[p] ?? ''}
                    disabled={accountsLoading}
                    onChange={(e) => {
                      setChoices({});
                      onChoose(p, e.target.value);
                    }}
                  >
                    {accountsLoading && <option value="">Loading accounts…</option>}
                    {accounts.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.name}
                        {a.isSandbox ? ' — sandbox' : ''}
                        {a.health === 'needs_reconnect' ? ' (needs reconnecting)' : ''}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
              <p className="text-xs text-slate-500 dark:text-slate-400">
                Another organization?{' '}
                <Link href="/catalog" className="underline">
                  Connect it on the Catalog
                </Link>
                .
              </p>
            </div>
          )}
        </Step>

        <Step n={2} title="Check that it fits">
          {!complete ? (
            <p className="text-sm text-slate-500">The check runs as soon as an account is chosen.</p>
          ) : check.isPending ? (
            <p className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400" role="status">
              <Spinner /> Signing in and reading the organization’s tables and columns…
            </p>
          ) : check.isError ? (
            <FormError message={check.error.message} />
          ) : (
            <CheckResults
              check={check.data}
              accounts={accounts}
              labels={template.accounts}
              choices={choices}
              onChoice={(key, c) =>
                setChoices((all) => {
                  const next = { ...all };
                  if (c) next[key] = c;
                  else delete next[key];
                  return next;
                })
              }
              onOtherAccount={focusAccount}
            />
          )}
          {complete && !check.isPending && (
            <button
              type="button"
              className="mt-3 inline-flex items-center gap-1.5 text-sm text-brand-700 underline disabled:opacity-60 dark:text-brand-100"
              disabled={check.isFetching}
              onClick={() => void check.refetch()}
            >
              {check.isFetching && <Spinner className="h-3.5 w-3.5" />}
              Check again
            </button>
          )}
        </Step>

        <Step n={3} title="Create the draft">
          <label htmlFor={`${ids}-name`} className="field-label">
            Flow name
          </label>
          <input id={`${ids}-name`} className="field-input" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
          <div className="mt-3 flex flex-col gap-2">
            <button
              type="button"
              className="btn-primary"
              disabled={!!blocker || busy}
              onClick={() => create.mutate({ tryIt: true })}
              aria-describedby={blocker ? `${ids}-blocker` : undefined}
            >
              {busy && create.variables?.tryIt && <Spinner />}
              {template.tags.trigger === 'dynamics' ? 'Create and try it on a recent record' : 'Create and try it once'}
            </button>
            <button
              type="button"
              className="btn-secondary"
              disabled={!!blocker || busy}
              onClick={() => create.mutate({ tryIt: false })}
              aria-describedby={blocker ? `${ids}-blocker` : undefined}
            >
              {busy && !create.variables?.tryIt && <Spinner />}
              Create draft
            </button>
          </div>
          {blocker && (
            <p id={`${ids}-blocker`} className="mt-2 text-xs text-slate-500 dark:text-slate-400" data-testid="create-blocker">
              {blocker}
            </p>
          )}
          <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
            The draft opens in the editor. Nothing runs until you test or start it.
          </p>
          <div className="mt-2">
            <FormError message={create.error?.message} />
          </div>
        </Step>
      </ol>
    </section>
  );
}
