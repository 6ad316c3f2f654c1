import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { currentSessionUser } from '@/lib/server/session';
import { getDb } from '@/lib/db/database';
import { countUsers } from '@/lib/db/repositories/users';
import { isEntraEnabled } from '@/lib/sign-in/auth-options';
import { safeCallbackPath } from '@/lib/sign-in/safe-callback';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; created?: string }> }) {
  if (await currentSessionUser()) redirect('/catalog');
  // A fresh install has nobody to sign in as: the first user is created on the sign-up page.
  if ((await countUsers(await getDb())) === 0) redirect('/signup');
  const { callbackUrl, created } = await searchParams;
  return <SignInForm callbackUrl={safeCallbackPath(callbackUrl)} entra={isEntraEnabled()} justCreated={created === '1'} />;
}
