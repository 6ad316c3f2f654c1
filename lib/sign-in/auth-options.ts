import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import AzureADProvider from 'next-auth/providers/azure-ad';
import { z } from 'zod';
import { getDb } from '@/lib/db/database';
import { countUsers, createUser, findUserByEmail } from '@/lib/db/repositories/users';
import { createSession, findActiveSession, revokeSession } from '@/lib/db/repositories/sessions';
import { clientAddress } from './client-address';
import { signInWithPassword, SignInRefusedError } from './sign-in-throttle';

const credentialsSchema = z.object({ email: z.string().trim().email().max(254), password: z.string().min(1).max(1024) });

/** How long a session lasts: the cookie and its server-side record end together. */
export const SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;

// Entra ID sign-in is limited to one tenant: with `organizations`, any tenant's admin could mint an
// account carrying any email address.
export const isEntraEnabled = () => Boolean(process.env.ENTRA_CLIENT_ID && process.env.ENTRA_CLIENT_SECRET && process.env.ENTRA_TENANT_ID);

function entraProvider() {
  const { ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, ENTRA_TENANT_ID } = process.env;
  if (!isEntraEnabled() || !ENTRA_CLIENT_ID || !ENTRA_CLIENT_SECRET || !ENTRA_TENANT_ID) return [];
  return [AzureADProvider({ clientId: ENTRA_CLIENT_ID, clientSecret: ENTRA_CLIENT_SECRET, tenantId: ENTRA_TENANT_ID })];
}

export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: '/signin' },
  providers: [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw, req) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        try {
          const user = await signInWithPassword(await getDb(), { email, password, client: clientAddress(req?.headers ?? {}) });
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        } catch (err) {
          // next-auth hands a thrown error's message to the sign-in form as `error`.
          if (err instanceof SignInRefusedError) throw new Error(err.code);
          throw err;
        }
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
      const db = await getDb();
      if (user) {
        if (account?.provider === 'azure-ad' && user.email) {
          const local = await findUserByEmail(db, user.email);
          if (local) token.sub = local.id;
        } else {
          token.sub = user.id;
        }
        // A signed cookie alone cannot be taken back: each sign-in gets a server-side session that
        // sign-out and "sign out everywhere" revoke, and the cookie names it (`sid`).
        if (token.sub) token.sid = (await createSession(db, token.sub, new Date(Date.now() + SESSION_MAX_AGE_S * 1000))).id;
        return token;
      }
      // A revoked, expired or missing session leaves an empty token: nobody is signed in with it.
      if (typeof token.sub !== 'string' || typeof token.sid !== 'string' || !(await findActiveSession(db, token.sid, token.sub))) return {};
      return token;
    },
    async session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === 'string') await revokeSession(await getDb(), token.sid);
    },
  },
  logger: {
    // next-auth logs request metadata on errors; keep only the code so credentials never reach a log.
    error: (code) => console.error(`[auth] ${code}`),
    warn: (code) => console.warn(`[auth] ${code}`),
    debug: () => {},
  },
};
