import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import AzureADProvider from 'next-auth/providers/azure-ad';
import { z } from 'zod';
import { getDb } from '@/lib/db/database';
import { countUsers, createUser, findUserByEmail } from '@/lib/db/repositories/users';
import { hashPassword, verifyPassword } from './password';
import { signInThrottle, TOO_MANY_ATTEMPTS } from './sign-in-throttle';
import { randomBytes } from 'node:crypto';

const credentialsSchema = z.object({ email: z.string().trim().email().max(254), password: z.string().min(1).max(1024) });

// A fixed hash to compare against when the email is unknown, so response time does not reveal
// which emails have accounts.
let decoyHash: Promise<string> | undefined;

// Entra ID sign-in is limited to one tenant: with `organizations`, any tenant's admin could mint an
// account carrying any email address.
export const isEntraEnabled = () => Boolean(process.env.ENTRA_CLIENT_ID && process.env.ENTRA_CLIENT_SECRET && process.env.ENTRA_TENANT_ID);

function entraProvider() {
  const { ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, ENTRA_TENANT_ID } = process.env;
  if (!isEntraEnabled() || !ENTRA_CLIENT_ID || !ENTRA_CLIENT_SECRET || !ENTRA_TENANT_ID) return [];
  return [AzureADProvider({ clientId: ENTRA_CLIENT_ID, clientSecret: ENTRA_CLIENT_SECRET, tenantId: ENTRA_TENANT_ID })];
}

export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt', maxAge: 7 * 24 * 60 * 60 },
  pages: { signIn: '/signin' },
  providers: [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        // next-auth hands a thrown error's message to the sign-in form as `error`.
        if (signInThrottle.isLocked(email)) throw new Error(TOO_MANY_ATTEMPTS);
        const db = await getDb();
        const user = await findUserByEmail(db, email);
        decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
        const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
        if (!user || !ok) {
          signInThrottle.recordFailure(email);
          return null;
        }
        signInThrottle.recordSuccess(email);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
    ...entraProvider(),
  ],
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== 'azure-ad') return true;
      // Entra ID sign-ins map onto a local Entra-only user by email, created on first sign-in.
      // A user with a password is never taken over this way, and closed sign-up stays closed.
      if (!user.email) return false;
      const db = await getDb();
      const existing = await findUserByEmail(db, user.email);
      if (existing) return existing.passwordHash === null;
      if (process.env.SIGNUP === 'closed' && (await countUsers(db)) > 0) return false;
      await createUser(db, { email: user.email, name: user.name ?? user.email, passwordHash: null });
      return true;
    },
    async jwt({ token, user, account }) {
      if (user && account?.provider === 'azure-ad' && user.email) {
        const local = await findUserByEmail(await getDb(), user.email);
        if (local) token.sub = local.id;
      } else if (user) {
        token.sub = user.id;
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
  logger: {
    // next-auth logs request metadata on errors; keep only the code so credentials never reach a log.
    error: (code) => console.error(`[auth] ${code}`),
    warn: (code) => console.warn(`[auth] ${code}`),
    debug: () => {},
  },
};
