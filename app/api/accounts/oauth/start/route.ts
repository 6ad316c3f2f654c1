import { oauthStartSchema } from '@/lib/dynamics/accounts/connect-requests';
import { startMicrosoftSignIn } from '@/lib/dynamics/accounts/microsoft-sign-in';
import { pendingCookie } from '@/lib/dynamics/accounts/oauth-flow';
import { accountContext } from '@/lib/server/account-context';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/**
 * Starts "Sign in with Microsoft": returns the authorize URL (PKCE S256 + state) and keeps the
 * verifier and state in a sealed, HttpOnly cookie bound to the signed-in user.
 */
export const POST = apiRoute({ auth: true, body: oauthStartSchema }, async ({ req, db, user, body, signal }) => {
  const ctx = accountContext(req, db, user.id);
  const { authorizeUrl, pending } = await startMicrosoftSignIn(ctx, body, signal);
  const cookie = pendingCookie(pending, ctx.appOrigin.startsWith('https:'));
  return Response.json({ authorizeUrl }, { headers: { 'Set-Cookie': cookie, 'Cache-Control': 'no-store' } });
});
