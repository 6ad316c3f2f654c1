import { apiRoute } from '@/lib/server/api-route';
import { updateAccount } from '@/lib/db/repositories/accounts';
import { toAccountConnection } from '@/lib/dynamics/account-config';
import { installationSecretFor, loadOwnAccount, saveNewAccount, storedFields, verifyOrFail } from '@/lib/dynamics/accounts/account-service';
import { allowedHostsFor } from '@/lib/dynamics/accounts/connection-options';
import { clearedCookie, OAUTH_COOKIE, openPendingSignIn, stateHash } from '@/lib/dynamics/accounts/oauth-flow';
import { consumePendingSignIn } from '@/lib/db/repositories/pending-sign-ins';
import { accountContext } from '@/lib/dynamics/accounts/request-context';
import { redeemAuthorizationCode } from '@/lib/dynamics/accounts/sign-in/auth-code';
import { forgetTokenProvider } from '@/lib/dynamics/client/tokens/token-provider';
import { isDataverseError } from '@/lib/dynamics/client/errors/dataverse-error';
import { createHttpTransport } from '@/lib/dynamics/client/transport/http-transport';
import { ApiError } from '@/lib/server/api-error';

export const dynamic = 'force-dynamic';

const STALE =
  'The Microsoft sign-in could not be completed: it was started in another session, took too long or was already used. Start again from Connect.';

/** Where Microsoft sends the browser back: redeem the code, verify, save, return to the Catalog. */
export const GET = apiRoute({ auth: true }, async ({ req, db, user }) => {
  const ctx = accountContext(req, db, user.id);
  const secure = ctx.appOrigin.startsWith('https:');
  const back = (query: Record<string, string>) =>
    new Response(null, {
      status: 303,
      headers: {
        Location: `${ctx.appOrigin}/catalog?${new URLSearchParams(query)}`,
        'Set-Cookie': clearedCookie(secure),
        'Cache-Control': 'no-store',
      },
    });

  const pending = openPendingSignIn(user.id, req.cookies.get(OAUTH_COOKIE)?.value);
  if (!pending.ok) return back({ connectError: STALE });
  const sign = pending.data;
  if (req.nextUrl.searchParams.get('state') !== sign.state) return back({ connectError: STALE });
  // Each state completes once, whatever the browser sends back (a replayed cookie included).
  if (!(await consumePendingSignIn(db, user.id, stateHash(sign.state)))) return back({ connectError: STALE });

  const transport = createHttpTransport({ allowedHosts: allowedHostsFor(ctx.appOrigin) });
  const clientSecret = sign.clientSecret ?? installationSecretFor(sign.clientId);
  try {
    const tokens = await redeemAuthorizationCode({
      identityEndpoint: sign.config.identityEndpoint,
      clientId: sign.clientId,
      ...(clientSecret ? { clientSecret } : {}),
      redirectUri: sign.redirectUri,
      callback: req.nextUrl.searchParams,
      expectedState: sign.state,
      codeVerifier: sign.codeVerifier,
      transport,
    });
    const config = {
      ...sign.config,
      method: 'auth_code' as const,
      clientId: sign.clientId,
      secrets: sign.clientSecret ? { clientSecret: sign.clientSecret } : {},
    };
    // Verified with the installation's secret too (if any), stored with only the person's own.
    const connection = toAccountConnection(sign.accountId ?? 'new', {
      ...config,
      secrets: {
        ...(clientSecret ? { clientSecret } : {}),
        accessToken: tokens.accessToken,
        accessTokenExpiresAt: tokens.expiresAt,
        ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      },
    });
    const verified = await verifyOrFail(ctx, connection);
    const outcome = { principal: verified.principal, tokens: verified.tokens ?? tokens };
    if (sign.accountId) {
      const { account } = await loadOwnAccount(ctx, sign.accountId);
      await updateAccount(db, user.id, account.id, storedFields(config, outcome, account.config));
      forgetTokenProvider(account.id);
      return back({ connected: account.id });
    }
    const account = await saveNewAccount(ctx, sign.name, storedFields(config, outcome));
    return back({ connected: account.id });
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) return back({ connectError: err.message });
    if (isDataverseError(err)) return back({ connectError: err.explanation });
    throw err;
  } finally {
    transport.close();
  }
});
