'use client';

import Link from 'next/link';
import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { FormError } from '@/components/ui/form-error';
import { useHydrated } from '@/components/ui/use-hydrated';

export function SignInForm({ callbackUrl, entra, justCreated }: { callbackUrl: string; entra: boolean; justCreated: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(
      result?.error === 'TooManyAttempts'
        ? 'Too many wrong passwords from here. Wait a little, then try again.'
        : result?.error === 'SignInBusy'
          ? 'The server is busy signing people in. Try again in a moment.'
          : 'That email and password do not match an account. Check them and try again.',
    );
  }

  return (
    <div>
      <h1 className="text-lg font-semibold">Sign in</h1>
      <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">Welcome back. Sign in to build and run your flows.</p>
      {justCreated && (
        <p
          role="status"
          className="mt-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
        >
          Your account is ready. Sign in to continue.
        </p>
      )}
      <form onSubmit={onSubmit} method="post" className="mt-6 space-y-4" noValidate>
        <div>
          <label htmlFor="email" className="field-label">
            Email
          </label>
          <input id="email" name="email" type="email" autoComplete="email" required className="field-input" />
        </div>
        <div>
          <label htmlFor="password" className="field-label">
            Password
          </label>
          <input id="password" name="password" type="password" autoComplete="current-password" required className="field-input" />
        </div>
        <FormError message={error} />
        <button type="submit" className="btn-primary w-full" disabled={pending || !hydrated}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {entra && (
        <button type="button" className="btn-secondary mt-3 w-full" onClick={() => signIn('azure-ad', { callbackUrl })}>
          Sign in with Microsoft
        </button>
      )}
      <p className="mt-6 text-center text-sm text-slate-500 dark:text-slate-400">
        New here?{' '}
        <Link href="/signup" className="font-medium text-brand-600 hover:underline dark:text-brand-500">
          Create an account
        </Link>
      </p>
    </div>
  );
}
