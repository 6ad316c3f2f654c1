'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SchemaForm, type FieldState } from '@/components/forms/schema-form';
import { TextField } from '@/components/forms/text-field';
import { Modal } from '@/components/ui/modal';
import { FormError } from '@/components/ui/form-error';
import { Spinner } from '@/components/ui/spinner';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import {
  sandboxConnectionValues,
  sandboxOrganizationInfo,
  sandboxOrganizationOf,
  type SandboxOrganization,
} from '@/lib/dynamics/accounts/sandbox-defaults';
import { AUTH_METHOD_DESCRIPTIONS, authMethod, type AuthMethodId } from '@/lib/dynamics/connector/auth/connection-methods';
import { formSchema, SECRET_PLACEHOLDER } from '@/lib/dynamics/connector/auth/define-connection';
import { describeForm, type FormField } from '@/lib/forms/describe-form';
import { accountKeys } from './catalog-keys';
import { sandboxOrganizationLabel, SandboxOrganizationChoice } from './sandbox-callout';

type Values = Record<string, string>;
type Generated = { grant: string; expiresAt: string };

/** Each method's fields, derived once from the connection description the server validates with. */
const FORMS = Object.fromEntries(AUTH_METHOD_DESCRIPTIONS.map((m) => [m.id, describeForm(formSchema(m)).fields])) as Record<
  AuthMethodId,
  FormField[]
>;
/** "Generate tokens" signs in once with the password method's fields that the chosen method lacks. */
const generateFieldsFor = (method: AuthMethodId) =>
  describeForm(formSchema(authMethod('password'))).fields.filter((f) => !(f.name in authMethod(method).fields));

interface Props {
  open: boolean;
  onClose: () => void;
  /** When set, the dialog updates this account's credentials instead of connecting a new one. */
  account?: AccountView;
  onConnected: (account: AccountView) => void;
  /** Where focus goes back to on closing: the button or menu that opened it. */
  returnFocusTo?: HTMLElement | null;
}

export function ConnectDialog({ open, onClose, account, onConnected, returnFocusTo }: Props) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      wide
      returnFocusTo={returnFocusTo}
      title={account ? `Update credentials of ${account.name}` : 'Connect Microsoft Dynamics 365 for Sales'}
      description={
        account
          ? 'The connection is checked again before anything is saved.'
          : 'Choose how this app signs in to your organization. The connection is checked before it is saved.'
      }
    >
      {open && <ConnectForm account={account} onCancel={onClose} onConnected={onConnected} />}
    </Modal>
  );
}

const initialValues = (account?: AccountView): Values =>
  account
    ? { serviceUrl: account.serviceUrl, apiVersion: account.apiVersion, identityEndpoint: account.identityEndpoint, ...account.settings }
    : {};

function ConnectForm({
  account,
  onCancel,
  onConnected,
}: {
  account?: AccountView;
  onCancel: () => void;
  onConnected: (a: AccountView) => void;
}) {
  const queryClient = useQueryClient();
  const [method, setMethod] = useState<AuthMethodId>(account?.method ?? 'password');
  const [values, setValues] = useState<Values>(() => initialValues(account));
  const [useSandbox, setUseSandbox] = useState(false);
  // An account of the second organization, updated, starts from its own organization.
  const [sandboxOrganization, setSandboxOrganization] = useState<SandboxOrganization>(
    () => (account && typeof window !== 'undefined' && sandboxOrganizationOf(window.location.origin, account.serviceUrl)) || 'first',
  );
  const [generated, setGenerated] = useState<Generated | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const description = authMethod(method);
  const fields = FORMS[method];
  const redirect = description.signIn === 'redirect';

  const set = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }));
  // Secrets are never kept around after a failed attempt; everything else stays as typed.
  const clearSecrets = () =>
    setValues((v) => Object.fromEntries(Object.entries(v).filter(([k]) => !fields.some((f) => f.name === k && f.secret))));

  const stateOf = (field: FormField): FieldState | undefined => {
    if (useSandbox && (field.secret || field.name in sandboxConnectionValues(''))) {
      return { disabled: true, ...(field.secret ? { placeholder: '•••• built-in sandbox credential' } : {}) };
    }
    if (generated && field.fromTokens) return { disabled: true, placeholder: '•••• generated' };
    if (field.secret && account?.secrets[field.name]) return { placeholder: `${SECRET_PLACEHOLDER} (leave empty to keep)` };
    return undefined;
  };

  const submit = useMutation({
    mutationFn: async () => {
      const payload = buildPayload(method, values, fields, {
        useSandbox,
        sandboxOrganization,
        generated: generated?.grant,
      });
      if (redirect) {
        const started = await apiFetch<{ authorizeUrl: string }>('/api/accounts/oauth/start', {
          method: 'POST',
          body: { ...payload, ...(account ? { accountId: account.id } : { name: values.name?.trim() || undefined }) },
        });
        window.location.assign(started.authorizeUrl);
        return null;
      }
      if (account) {
        return (
          await apiFetch<{ account: AccountView }>(`/api/accounts/${account.id}`, { method: 'PATCH', body: { credentials: payload } })
        ).account;
      }
      return (
        await apiFetch<{ account: AccountView }>('/api/accounts', {
          method: 'POST',
          body: { ...payload, name: values.name?.trim() || undefined },
        })
      ).account;
    },
    onSuccess: (saved) => {
      if (!saved) return;
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
      onConnected(saved);
    },
    onError: (err) => {
      clearSecrets();
      const field = err instanceof ApiRequestError ? (err.details as { field?: string } | undefined)?.field : undefined;
      setFieldError(field ?? null);
    },
  });

  const errorMessage =
    submit.error instanceof ApiRequestError
      ? submit.error.message
      : submit.error
        ? 'Could not reach the server. Check your network and try again.'
        : null;

  const toggleSandbox = () => {
    setGenerated(null);
    if (useSandbox) {
      setUseSandbox(false);
      setValues(initialValues(account));
      return;
    }
    setUseSandbox(true);
    setValues((v) => ({ ...v, ...sandboxConnectionValues(window.location.origin, { organization: sandboxOrganization }) }));
  };

  /** Another sandbox organization: its own service URL, identity endpoint, client and user fill the form. */
  const chooseSandboxOrganization = (organization: SandboxOrganization) => {
    setSandboxOrganization(organization);
    submit.reset();
    setFieldError(null);
    setValues((v) => ({ ...v, ...sandboxConnectionValues(window.location.origin, { organization }) }));
  };
  const defaultNameBase = sandboxOrganizationInfo(useSandbox ? sandboxOrganization : 'first').defaultNameBase;

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setFieldError(null);
        submit.mutate();
      }}
      className="space-y-5"
    >
      <fieldset>
        <legend className="field-label">Authorization method</legend>
        <div className="mt-1 grid gap-2">
          {AUTH_METHOD_DESCRIPTIONS.map((m) => (
            <label
              key={m.id}
              className={`flex cursor-pointer gap-3 rounded-lg border px-4 py-3 text-sm transition-colors ${
                method === m.id
                  ? 'border-brand-500 bg-brand-50/60 dark:bg-slate-800'
                  : 'border-slate-200 hover:border-slate-300 dark:border-slate-700'
              }`}
            >
              <input
                type="radio"
                name="method"
                value={m.id}
                checked={method === m.id}
                onChange={() => {
                  setMethod(m.id);
                  setGenerated(null);
                  submit.reset();
                }}
                className="mt-0.5 accent-brand-600"
              />
              <span>
                <span className="block font-medium">{m.title}</span>
                <span className="block text-slate-600 dark:text-slate-400">{m.summary}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="space-y-3 rounded-lg bg-slate-50 px-4 py-3 text-sm dark:bg-slate-800/60">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <span className="text-slate-600 dark:text-slate-300" data-testid="sandbox-status">
            {useSandbox
              ? `Using the built-in ${sandboxOrganizationLabel(sandboxOrganization)} and its sample credentials.`
              : 'No Microsoft tenant at hand? Try the built-in sandbox organizations.'}
          </span>
          <button type="button" className="btn-secondary" onClick={toggleSandbox}>
            {useSandbox ? 'Stop using the sandbox' : 'Use the Dynamics 365 sandbox'}
          </button>
        </div>
        {useSandbox && (
          <SandboxOrganizationChoice name="connect-sandbox-organization" value={sandboxOrganization} onChange={chooseSandboxOrganization} />
        )}
      </div>

      {!account && (
        <TextField
          id="connect-name"
          label="Account name (optional)"
          help={`How this account is listed. Leave empty for “${defaultNameBase} 1”, “${defaultNameBase} 2”, …`}
          value={values.name ?? ''}
          onChange={(v) => set('name', v)}
        />
      )}

      <SchemaForm fields={fields} values={values} onChange={set} idPrefix="connect-" invalidField={fieldError} stateOf={stateOf}>
        {description.canGenerateTokens && !useSandbox && (
          <GenerateTokens method={method} values={values} onGenerated={setGenerated} generated={generated} />
        )}
      </SchemaForm>

      <div aria-live="polite">
        {submit.isPending && (
          <p className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300" data-testid="connect-progress">
            <Spinner />
            {redirect ? 'Preparing the Microsoft sign-in…' : 'Signing in and checking access to the organization…'}
          </p>
        )}
        <FormError message={errorMessage} />
      </div>

      <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" disabled={submit.isPending}>
          {redirect ? 'Continue to sign-in' : account ? 'Check and save' : 'Connect'}
        </button>
      </div>
    </form>
  );
}

/** The request body for the chosen method: what was typed, minus what the sandbox or generated tokens supply. */
function buildPayload(
  method: AuthMethodId,
  values: Values,
  fields: FormField[],
  opts: { useSandbox: boolean; sandboxOrganization: SandboxOrganization; generated?: string },
) {
  const payload: Record<string, unknown> = { method };
  for (const field of fields) {
    const value = values[field.name]?.trim();
    // A date is always sent: empty clears a stored one.
    if (field.widget === 'date') payload[field.name] = value ?? '';
    else if (value && !(opts.useSandbox && field.secret) && !(opts.generated && field.fromTokens)) payload[field.name] = value;
  }
  if (opts.useSandbox) {
    payload.useSandbox = true;
    payload.sandboxOrganization = opts.sandboxOrganization;
  }
  if (opts.generated) payload.generatedTokens = opts.generated;
  return payload;
}

function GenerateTokens({
  method,
  values,
  generated,
  onGenerated,
}: {
  method: AuthMethodId;
  values: Values;
  generated: Generated | null;
  onGenerated: (g: Generated | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const [signIn, setSignIn] = useState<Values>({});
  const signInFields = generateFieldsFor(method);
  const generate = useMutation({
    mutationFn: () => {
      const shared = Object.fromEntries(
        Object.keys(authMethod('password').fields).flatMap((name) => (values[name]?.trim() ? [[name, values[name].trim()]] : [])),
      );
      return apiFetch<Generated>('/api/accounts/generate-tokens', { method: 'POST', body: { ...shared, ...signIn } });
    },
    onSuccess: (g) => {
      setSignIn({});
      onGenerated(g);
      setOpen(false);
    },
    onError: () =>
      setSignIn((v) => Object.fromEntries(Object.entries(v).filter(([k]) => !signInFields.some((f) => f.name === k && f.secret)))),
  });

  if (generated) {
    return (
      <p
        role="status"
        className="flex items-center justify-between gap-3 rounded-lg bg-emerald-50 px-4 py-3 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
      >
        Tokens generated. They are kept on the server and used when you connect.
        <button type="button" className="btn-secondary" onClick={() => onGenerated(null)}>
          Discard
        </button>
      </p>
    );
  }
  return (
    <div className="rounded-lg border border-dashed border-slate-300 px-4 py-3 text-sm dark:border-slate-700">
      {!open ? (
        <div className="flex flex-wrap items-center justify-between gap-3">
          <span className="text-slate-600 dark:text-slate-300">
            No tokens yet? Generate them from the client ID and secret above and a user&apos;s sign-in.
          </span>
          <button type="button" className="btn-secondary" onClick={() => setOpen(true)}>
            Generate tokens
          </button>
        </div>
      ) : (
        <div className="space-y-3">
          <p className="font-medium">Generate tokens</p>
          <p className="text-slate-600 dark:text-slate-400">Used once to obtain the tokens; nothing typed here is stored.</p>
          <SchemaForm
            fields={signInFields}
            values={signIn}
            onChange={(name, value) => setSignIn((v) => ({ ...v, [name]: value }))}
            idPrefix="generate-"
          />
          <FormError
            message={
              generate.error instanceof ApiRequestError ? generate.error.message : generate.error ? 'Could not generate tokens.' : null
            }
          />
          <div className="flex justify-end gap-2">
            <button type="button" className="btn-secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="button" className="btn-primary" disabled={generate.isPending} onClick={() => generate.mutate()}>
              {generate.isPending && <Spinner />}
              {generate.isPending ? 'Requesting tokens…' : 'Get tokens'}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
