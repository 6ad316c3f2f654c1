import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { authOptions } from '@/lib/sign-in/auth-options';
import { getDb } from '@/lib/db/database';
import { findUserById } from '@/lib/db/repositories/users';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

/** The signed-in user for a server component, or null. A session for a deleted user counts as none. */
export async function currentSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const user = await findUserById(await getDb(), id);
  return user ? { id: user.id, email: user.email, name: user.name } : null;
}

/** Pages call this themselves: the proxy's redirect is a convenience, not the authorization. */
export async function requireSessionUser(): Promise<SessionUser> {
  const user = await currentSessionUser();
  if (!user) redirect('/signin');
  return user;
}
