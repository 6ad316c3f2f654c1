'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { Dialog } from 'radix-ui';
import { useId, useState } from 'react';
import { useAccounts } from '@/components/catalog/use-accounts';
import { FormError } from '@/components/ui/form-error';
import { Icon } from '@/components/ui/icon';
import { Spinner } from '@/components/ui/spinner';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import { flowKeys } from './flow-keys';
import { importFlow, inspectImport, MAX_PORTABLE_FLOW_BYTES, transferErrorMessage, type ImportPreview } from './transfer-client';

function defaultChoices(preview: ImportPreview, accounts: AccountView[]): Record<string, string> {
  return Object.fromEntries(
    preview.placeholders.map((p) => {
      const named = accounts.find((a) => a.name === p.label);
      return [p.key, named?.id ?? (accounts.length === 1 ? accounts[0]!.id : '')];
    }),
  );
}

export function ImportFlowDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const accountsQuery = useAccounts();
  const accounts = (accountsQuery.data ?? []).filter((a) => a.application === 'dynamics');
  const ids = useId();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const reset = () => {
    setText('');
    setFileName(null);
    setPreview(null);
    setChoices({});
    setError(null);
    setPending(false);
  };

  const changeOpen = (next: boolean) => {
    if (!next) reset();
    onOpenChange(next);
  };

  const check = async (content: string) => {
    setError(null);
    setPreview(null);
    if (!content.trim()) {
      setError('Choose a flow file or paste its text first.');
      return;
    }
    setPending(true);
    try {
      const result = await inspectImport(content);
      setPreview(result);
      setChoices(defaultChoices(result, accounts));
    } catch (err) {
      setError(transferErrorMessage(err));
    } finally {
      setPending(false);
    }
  };

  const pickFile = async (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    setPreview(null);
    if (file.size > MAX_PORTABLE_FLOW_BYTES) {
      setText('');
      setError(`“${file.name}” is too large: a flow file may be at most ${MAX_PORTABLE_FLOW_BYTES / 1024 / 1024} MiB.`);
      return;
    }
    const content = await file.text();
    setText(content);
    await check(content);
  };

  const missing = preview ? preview.placeholders.filter((p) => !choices[p.key]) : [];

  const submit = async () => {
    if (!preview) return;
    if (missing.length) {
      setError(`Choose an account for ${missing.map((p) => `“${p.label}”`).join(', ')}.`);
      return;
    }
    setError(null);
    setPending(true);
    try {
      const { flowId } = await importFlow(text, choices);
      await queryClient.invalidateQueries({ queryKey: flowKeys.all });
      // Stays open (pending) while the editor loads: leaving the page closes it.
      router.push(`/flows/${flowId}`);
    } catch (err) {
      setError(transferErrorMessage(err));
      setPending(false);
    }
  };

  return (
    <Dialog.Root open={open} onOpenChange={changeOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <Dialog.Content
          data-testid="import-flow-dialog"
          className="fixed left-1/2 top-1/2 z-50 flex max-h-[85vh] w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 flex-col rounded-xl border border-slate-200 bg-white shadow-xl dark:border-slate-800 dark:bg-slate-900"
        >
          <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-6 py-4 dark:border-slate-800">
            <div>
              <Dialog.Title className="text-base font-semibold">Import a flow</Dialog.Title>
              <Dialog.Description className="mt-0.5 text-sm text-slate-500 dark:text-slate-400">
                A flow file exported from Dynamics Flow Designer (.flow.yaml). It becomes a new draft.
              </Dialog.Description>
            </div>
            <Dialog.Close className="rounded-md p-1 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800">
              <Icon name="close" />
              <span className="sr-only">Close</span>
            </Dialog.Close>
          </div>

          <div className="space-y-4 overflow-y-auto px-6 py-5">
            <div>
              <label htmlFor={`${ids}-file`} className="field-label">
                Choose a file
              </label>
              <input
                id={`${ids}-file`}
                type="file"
                accept=".yaml,.yml,.json,text/yaml,application/yaml,application/json"
                className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium dark:file:bg-slate-800"
                onChange={(e) => void pickFile(e.target.files?.[0])}
              />
              {fileName && <p className="mt-1 text-xs text-slate-500">{fileName}</p>}
            </div>
            <div>
              <label htmlFor={`${ids}-text`} className="field-label">
                Or paste the file’s text
              </label>
              <textarea
                id={`${ids}-text`}
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setPreview(null);
                }}
                rows={5}
                spellCheck={false}
                placeholder="format: dynamics-flow-designer/flow"
                className="field-input font-mono text-xs"
              />
              {!preview && (
                <button type="button" className="btn-secondary mt-2" disabled={pending} onClick={() => void check(text)}>
                  {pending && <Spinner />}
                  Check file
                </button>
              )}
            </div>

            {preview && (
              <section data-testid="import-preview" aria-label="What will be imported" className="card space-y-3 p-4">
                <div>
                  <p className="font-medium" data-testid="import-flow-name">
                    {preview.name.trim() || 'Untitled flow'}
                  </p>
                  <p className="text-sm text-slate-500" data-testid="import-step-count">
                    {preview.nodeCount} {preview.nodeCount === 1 ? 'step' : 'steps'}
                    {preview.problemCount > 0 &&
                      ` · ${preview.problemCount} ${preview.problemCount === 1 ? 'problem' : 'problems'} to fix in the editor`}
                  </p>
                  {preview.description && <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{preview.description}</p>}
                </div>
                {preview.placeholders.length > 0 &&
                  (accounts.length === 0 && !accountsQuery.isPending ? (
                    <p className="text-sm text-amber-800 dark:text-amber-300">
                      This flow runs as a Dynamics 365 account.{' '}
                      <Link href="/catalog" className="underline">
                        Connect one on the Catalog
                      </Link>{' '}
                      first, then import the file.
                    </p>
                  ) : (
                    preview.placeholders.map((p) => (
                      <div key={p.key}>
                        <label htmlFor={`${ids}-${p.key}`} className="field-label">
                          Account for “{p.label}”
                        </label>
                        <select
                          id={`${ids}-${p.key}`}
                          value={choices[p.key] ?? ''}
                          onChange={(e) => setChoices((c) => ({ ...c, [p.key]: e.target.value }))}
                          className="field-input"
                        >
                          <option value="">Choose an account…</option>
                          {accounts.map((a) => (
                            <option key={a.id} value={a.id}>
                              {a.name}
                              {a.health === 'needs_reconnect' ? ' (needs reconnecting)' : ''}
                            </option>
                          ))}
                        </select>
                        {p.tables.length > 0 && <p className="mt-1 text-xs text-slate-500">Used for: {p.tables.join(', ')}</p>}
                      </div>
                    ))
                  ))}
              </section>
            )}

            <FormError message={error} />
          </div>

          <div className="flex justify-end gap-2 border-t border-slate-200 px-6 py-4 dark:border-slate-800">
            <Dialog.Close className="btn-secondary">Cancel</Dialog.Close>
            <button
              type="button"
              className="btn-primary"
              disabled={!preview || pending || (preview.placeholders.length > 0 && accounts.length === 0)}
              onClick={() => void submit()}
            >
              {pending && preview && <Spinner />}
              Import flow
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
