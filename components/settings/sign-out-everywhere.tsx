'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { FormError } from '@/components/ui/form-error';

export function SignOutEverywhere({ action }: { action: () => Promise<void> }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  return (
    <section className="card mb-6 p-6" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="text-base font-semibold">
        Sessions
      </h2>
      <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
        Signed in somewhere you no longer use? End every session of your account, on every browser and device, including this one. Personal
        API tokens are not affected; revoke them below.
      </p>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <button
          type="button"
          className="btn-danger"
          disabled={pending}
          onClick={async () => {
            setPending(true);
            setError(null);
            try {
              await action();
              await signOut({ callbackUrl: '/signin' });
            } catch {
              setPending(false);
              setError('Could not sign out everywhere. Try again.');
            }
          }}
        >
          {pending ? 'Signing out…' : 'Sign out everywhere'}
        </button>
        <FormError message={error} />
      </div>
    </section>
  );
}
