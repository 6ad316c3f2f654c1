'use client';

import Link from 'next/link';
import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { FormError } from '@/components/ui/form-error';
import { useHydrated } from '@/components/ui/use-hydrated';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';

export function SignUpForm({ firstUser }: { firstUser: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = {
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    };
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      await apiFetch('/api/signup', { method: 'POST', body: values });
      const result = await signIn('credentials', { email: values.email, password: values.password, redirect: false });
      window.location.assign(result?.ok && !result.error ? '/catalog' : '/signin?created=1');
    } catch (err) {
      setPending(false);
      if (err instanceof ApiRequestError && Array.isArray(err.details)) {
        const byField: Record<string, string> = {};
        for (const d of err.details as { path: string; message: string }[]) byField[d.path] ??= d.message;
        setFieldErrors(byField);
      }
      setError(err instanceof ApiRequestError ? err.message : 'Could not create the account. Try again.');
    }
  }

  return (
    <div>
      <h1 className="text-lg font-semibold">{firstUser ? 'Set up Dynamics Flow Designer' : 'Create your account'}</h1>
      <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
        {firstUser
          ? 'You are the first person here. Create your account to get started.'
          : 'Create an account to connect Dynamics 365 and build flows.'}
      </p>
      <form onSubmit={onSubmit} method="post" className="mt-6 space-y-4" noValidate>
        <Field id="name" label="Name" autoComplete="name" error={fieldErrors.name} />
        <Field id="email" label="Email" type="email" autoComplete="email" error={fieldErrors.email} />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters."
          error={fieldErrors.password}
        />
        <FormError message={error} />
        <button type="submit" className="btn-primary w-full" disabled={pending || !hydrated}>
          {pending ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      {!firstUser && (
        <p className="mt-6 text-center text-sm text-slate-500 dark:text-slate-400">
          Already have an account?{' '}
          <Link href="/signin" className="font-medium text-brand-600 hover:underline dark:text-brand-500">
            Sign in
          </Link>
        </p>
      )}
    </div>
  );
}

function Field(props: { id: string; label: string; type?: string; autoComplete: string; hint?: string; error?: string }) {
  const describedBy = props.error ? `${props.id}-error` : props.hint ? `${props.id}-hint` : undefined;
  return (
    <div>
      <label htmlFor={props.id} className="field-label">
        {props.label}
      </label>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        required
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
        className="field-input"
      />
      {props.error ? (
        <p id={`${props.id}-error`} className="mt-1 text-xs text-red-700 dark:text-red-300">
          {props.error}
        </p>
      ) : props.hint ? (
        <p id={`${props.id}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}
