'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Modal } from '@/components/ui/modal';
import { FormError } from '@/components/ui/form-error';
import { Spinner } from '@/components/ui/spinner';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import {
  connectMethod,
  connectMethods,
  isSecretField,
  SECRET_PLACEHOLDER,
  type ConnectField,
  type ConnectFieldName,
} from '@/lib/dynamics/accounts/connect-methods';
import type { AuthMethod } from '@/lib/dynamics/client/types';
import { accountKeys } from './catalog-keys';

type Values = Partial<Record<ConnectFieldName | 'identityEndpoint' | 'name', string>>;

interface Props {
  open: boolean;
  onClose: () => void;
  /** When set, the dialog updates this account's credentials instead of connecting a new one. */
  account?: AccountView;
  onConnected: (account: AccountView) => void;
}

export function ConnectDialog({ open, onClose, account, onConnected }: Props) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      wide
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

function initialValues(account?: AccountView): Values {
  if (!account) return {};
  return {
    serviceUrl: account.serviceUrl,
    apiVersion: account.apiVersion,
    identityEndpoint: account.identityEndpoint,
    clientId: account.clientId ?? '',
    username: account.username ?? '',
    clientSecretExpiresOn: account.clientSecretExpiresOn ?? '',
  };
}

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
  const [method, setMethod] = useState<AuthMethod>(account?.method ?? 'password');
  const [values, setValues] = useState<Values>(() => initialValues(account));
  const [useSandbox, setUseSandbox] = useState(false);
  const [generated, setGenerated] = useState<{ grant: string; expiresAt: string } | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const fields = connectMethod(method).fields;

  const set = (name: keyof Values, value: string) => setValues((v) => ({ ...v, [name]: value }));
  const clearSecrets = () => setValues((v) => Object.fromEntries(Object.entries(v).filter(([k]) => !isSecretField(k as ConnectFieldName))));

  const submit = useMutation({
    mutationFn: async () => {
      const payload = buildPayload(method, values, fields, { useSandbox, generated: generated?.grant, updating: Boolean(account) });
      if (method === 'auth_code') {
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
      // Secrets are never kept around after a failed attempt; everything else stays as typed.
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
          {connectMethods.map((m) => (
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

      <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-slate-50 px-4 py-3 text-sm dark:bg-slate-800/60">
        <span className="text-slate-600 dark:text-slate-300">
          {useSandbox
            ? 'Using the built-in Dynamics 365 sandbox and its sample credentials.'
            : 'No Microsoft tenant at hand? Try the built-in sandbox organization.'}
        </span>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => {
            if (useSandbox) {
              setUseSandbox(false);
              setValues(initialValues(account));
              return;
            }
            setUseSandbox(true);
            setGenerated(null);
            const origin = window.location.origin;
            setValues((v) => ({
              ...v,
              serviceUrl: `${origin}/sandbox`,
              apiVersion: 'v9.2',
              identityEndpoint: `${origin}/sandbox/login/organizations`,
              clientId: 'sandbox-client',
              username: 'sales@sandbox.local',
            }));
          }}
        >
          {useSandbox ? 'Stop using the sandbox' : 'Use the Dynamics 365 sandbox'}
        </button>
      </div>

      {!account && (
        <TextField
          id="connect-name"
          label="Account name (optional)"
          help="How this account is listed. Leave empty for “Account 1”, “Account 2”, …"
          value={values.name ?? ''}
          onChange={(v) => set('name', v)}
        />
      )}

      {fields.map((field) => {
        const secret = isSecretField(field.name);
        const builtIn = useSandbox && secret;
        const generatedToken = generated && (field.name === 'accessToken' || field.name === 'refreshToken');
        const stored = account?.secrets[field.name as keyof AccountView['secrets']];
        return (
          <TextField
            key={field.name}
            id={`connect-${field.name}`}
            label={field.label + (field.required ? '' : ' (optional)')}
            help={field.help}
            type={inputType[field.kind]}
            placeholder={
              builtIn
                ? '•••• built-in sandbox credential'
                : generatedToken
                  ? '•••• generated'
                  : secret && stored
                    ? `${SECRET_PLACEHOLDER} (leave empty to keep)`
                    : field.placeholder
            }
            disabled={Boolean(builtIn || generatedToken)}
            invalid={fieldError === field.name}
            value={values[field.name] ?? ''}
            onChange={(v) => set(field.name, v)}
            autoComplete={secret ? 'new-password' : 'off'}
          />
        );
      })}

      {method === 'basic_oauth' && !useSandbox && <GenerateTokens values={values} onGenerated={setGenerated} generated={generated} />}

      <details className="rounded-lg border border-slate-200 px-4 py-3 text-sm dark:border-slate-700">
        <summary className="cursor-pointer font-medium">Advanced</summary>
        <div className="mt-3 space-y-4">
          <TextField
            id="connect-identityEndpoint"
            label="Identity endpoint (optional)"
            help="Where tokens are requested. Leave empty for Microsoft's global cloud (https://login.microsoftonline.com/organizations); the German cloud and the sandbox are recognised from the service URL. Override it for other sovereign clouds or a specific tenant."
            placeholder="https://login.microsoftonline.com/<tenant>"
            value={values.identityEndpoint ?? ''}
            onChange={(v) => set('identityEndpoint', v)}
            disabled={useSandbox}
            invalid={fieldError === 'identityEndpoint'}
          />
          {method === 'auth_code' && !useSandbox && (
            <>
              <TextField
                id="connect-clientId"
                label="Client ID (optional)"
                help="Your own app registration to sign in through. Leave empty to use the one this installation is configured with."
                value={values.clientId ?? ''}
                onChange={(v) => set('clientId', v)}
              />
              <TextField
                id="connect-clientSecret"
                label="Client secret (optional)"
                help="The secret of that app registration, when it is a confidential (web) app."
                type="password"
                value={values.clientSecret ?? ''}
                onChange={(v) => set('clientSecret', v)}
                autoComplete="new-password"
              />
            </>
          )}
        </div>
      </details>

      <div aria-live="polite">
        {submit.isPending && (
          <p className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300" data-testid="connect-progress">
            <Spinner />
            {method === 'auth_code' ? 'Preparing the Microsoft sign-in…' : 'Signing in and checking access to the organization…'}
          </p>
        )}
        <FormError message={errorMessage} />
      </div>

      <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" disabled={submit.isPending}>
          {method === 'auth_code' ? 'Continue to sign-in' : account ? 'Check and save' : 'Connect'}
        </button>
      </div>
    </form>
  );
}

const inputType: Record<ConnectField['kind'], string> = { secret: 'password', url: 'url', email: 'email', date: 'date', text: 'text' };

function buildPayload(
  method: AuthMethod,
  values: Values,
  fields: ConnectField[],
  opts: { useSandbox: boolean; generated?: string; updating: boolean },
): Record<string, unknown> {
  const payload: Record<string, unknown> = { method };
  for (const field of fields) {
    const value = values[field.name]?.trim();
    // A date is always sent: empty clears a stored one.
    if (field.kind === 'date') {
      payload[field.name] = value ?? '';
      continue;
    }
    if (!value) continue;
    if (opts.useSandbox && isSecretField(field.name)) continue;
    payload[field.name] = value;
  }
  if (values.identityEndpoint?.trim()) payload.identityEndpoint = values.identityEndpoint.trim();
  if (method === 'auth_code') {
    if (values.clientId?.trim()) payload.clientId = values.clientId.trim();
    if (values.clientSecret?.trim()) payload.clientSecret = values.clientSecret.trim();
  }
  if (opts.useSandbox) payload.useSandbox = true;
  if (opts.generated) {
    payload.generatedTokens = opts.generated;
    delete payload.accessToken;
    delete payload.refreshToken;
  }
  return payload;
}

function GenerateTokens({
  values,
  generated,
  onGenerated,
}: {
  values: Values;
  generated: { grant: string; expiresAt: string } | null;
  onGenerated: (g: { grant: string; expiresAt: string } | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const generate = useMutation({
    mutationFn: () =>
      apiFetch<{ grant: string; expiresAt: string }>('/api/accounts/generate-tokens', {
        method: 'POST',
        body: {
          serviceUrl: values.serviceUrl?.trim() ?? '',
          identityEndpoint: values.identityEndpoint?.trim() || undefined,
          clientId: values.clientId?.trim() ?? '',
          clientSecret: values.clientSecret ?? '',
          username: username.trim(),
          password,
        },
      }),
    onSuccess: (g) => {
      setPassword('');
      onGenerated(g);
      setOpen(false);
    },
    onError: () => setPassword(''),
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
          <TextField
            id="generate-username"
            label="Username"
            type="email"
            help="The Microsoft work account to issue the tokens for."
            value={username}
            onChange={setUsername}
          />
          <TextField
            id="generate-password"
            label="Password"
            type="password"
            help="Used once to obtain the tokens; it is not stored."
            value={password}
            onChange={setPassword}
            autoComplete="new-password"
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

function TextField(props: {
  id: string;
  label: string;
  help?: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  placeholder?: string;
  disabled?: boolean;
  invalid?: boolean;
  autoComplete?: string;
}) {
  return (
    <div>
      <label htmlFor={props.id} className="field-label">
        {props.label}
      </label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        autoComplete={props.autoComplete ?? 'off'}
        aria-invalid={props.invalid ? true : undefined}
        aria-describedby={props.help ? `${props.id}-help` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
        className={`field-input disabled:bg-slate-100 disabled:text-slate-500 dark:disabled:bg-slate-800 ${props.invalid ? 'border-red-500 ring-2 ring-red-500/20' : ''}`}
      />
      {props.help && (
        <p id={`${props.id}-help`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {props.help}
        </p>
      )}
    </div>
  );
}
