import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { currentSessionUser } from '@/lib/server/session';
import { getDb } from '@/lib/db/database';
import { countUsers } from '@/lib/db/repositories/users';
import { isEntraEnabled } from '@/lib/auth/auth-options';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; created?: string }> }) {
  if (await currentSessionUser()) redirect('/catalog');
  // A fresh install has nobody to sign in as: the first user is created on the sign-up page.
  if ((await countUsers(await getDb())) === 0) redirect('/signup');
  const { callbackUrl, created } = await searchParams;
  return <SignInForm callbackUrl={safeCallback(callbackUrl)} entra={isEntraEnabled()} justCreated={created === '1'} />;
}

function safeCallback(url: string | undefined): string {
  // Only same-site paths: an absolute URL here would be an open redirect.
  if (!url) return '/catalog';
  try {
    const parsed = new URL(url, 'http://local.invalid');
    return parsed.origin === 'http://local.invalid' || parsed.origin === process.env.NEXTAUTH_URL?.replace(/\/$/, '')
      ? `${parsed.pathname}${parsed.search}`
      : '/catalog';
  } catch {
    return '/catalog';
  }
}
