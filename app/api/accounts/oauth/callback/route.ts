import { oauthCallbackQuerySchema } from '@/lib/dynamics/accounts/connect-requests';
import { completeMicrosoftSignIn } from '@/lib/dynamics/accounts/microsoft-sign-in';
import { clearedCookie, OAUTH_COOKIE } from '@/lib/dynamics/accounts/oauth-flow';
import { accountContext } from '@/lib/server/account-context';
import { apiRoute } from '@/lib/server/api-route';
import { ApiError } from '@/lib/server/api-error';
import { toApiError } from '@/lib/server/domain-to-http';

export const dynamic = 'force-dynamic';

/** Where Microsoft sends the browser back: complete the sign-in, then return to the Catalog saying how it went. */
export const GET = apiRoute({ auth: true, query: oauthCallbackQuerySchema }, async ({ req, db, user, query, signal }) => {
  const ctx = accountContext(req, db, user.id);
  const back = (outcome: Record<string, string>) =>
    new Response(null, {
      status: 303,
      headers: {
        Location: `${ctx.appOrigin}/catalog?${new URLSearchParams(outcome)}`,
        // Clearing the cookie on every callback makes a replayed callback find nothing to complete.
        'Set-Cookie': clearedCookie(ctx.appOrigin.startsWith('https:')),
        'Cache-Control': 'no-store',
      },
    });
  try {
    const { accountId } = await completeMicrosoftSignIn(
      ctx,
      {
        pending: req.cookies.get(OAUTH_COOKIE)?.value,
        callback: new URLSearchParams(query),
      },
      signal,
    );
    return back({ connected: accountId });
  } catch (err) {
    // Only the code travels in the address: the Catalog shows its own message for it, so a link
    // with made-up text in `connectError` cannot make the page say anything.
    const known = toApiError(err);
    if (known instanceof ApiError && (known.status < 500 || known.code === 'dynamics_error')) return back({ connectError: known.code });
    throw err;
  }
});
