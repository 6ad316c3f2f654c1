import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignUpForm } from '@/components/auth/sign-up-form';
import { currentSessionUser } from '@/lib/server/session';
import { getDb } from '@/lib/db/database';
import { countUsers } from '@/lib/db/repositories/users';

export const metadata: Metadata = { title: 'Create your account' };
export const dynamic = 'force-dynamic';

export default async function SignUpPage() {
  if (await currentSessionUser()) redirect('/catalog');
  const firstUser = (await countUsers(await getDb())) === 0;
  return <SignUpForm firstUser={firstUser} />;
}
