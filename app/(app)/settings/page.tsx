import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { ApiTokens } from '@/components/settings/api-tokens';
import { SignOutEverywhere } from '@/components/settings/sign-out-everywhere';
import { requireSessionUser } from '@/lib/server/session';
import { signOutEverywhere } from './actions';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const user = await requireSessionUser();
  return (
    <>
      <PageHeader title="Settings" description="Your profile and the personal API tokens that let scripts call this app on your behalf." />
      <section className="card mb-6 p-6">
        <h2 className="text-base font-semibold">Profile</h2>
        <dl className="mt-4 grid gap-4 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-500 dark:text-slate-400">Name</dt>
            <dd className="mt-0.5 font-medium">{user.name}</dd>
          </div>
          <div>
            <dt className="text-slate-500 dark:text-slate-400">Email</dt>
            <dd className="mt-0.5 font-medium">{user.email}</dd>
          </div>
        </dl>
      </section>
      <SignOutEverywhere action={signOutEverywhere} />
      <ApiTokens />
    </>
  );
}
