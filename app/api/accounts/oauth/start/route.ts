import { apiRoute } from '@/lib/server/api-route';
import { loadOwnAccount, parseConfig, resolveConfigInput } from '@/lib/dynamics/accounts/account-service';
import { oauthStartSchema } from '@/lib/dynamics/accounts/connect-schema';
import { pendingCookie, sealPendingSignIn, SIGN_IN_TTL_SECONDS, stateHash } from '@/lib/dynamics/accounts/oauth-flow';
import { recordPendingSignIn } from '@/lib/db/repositories/pending-sign-ins';
import { accountContext } from '@/lib/dynamics/accounts/request-context';
import { createAuthorizationRequest } from '@/lib/dynamics/accounts/sign-in/auth-code';
import { ApiError } from '@/lib/server/api-error';

export const dynamic = 'force-dynamic';

/**
 * Starts "Sign in with Microsoft": returns the authorize URL (PKCE S256 + state) and keeps the
 * verifier and state in a sealed, HttpOnly cookie bound to the signed-in user.
 */
export const POST = apiRoute({ auth: true, body: oauthStartSchema }, async ({ req, db, user, body }) => {
  const ctx = accountContext(req, db, user.id);
  const stored = body.accountId ? await loadOwnAccount(ctx, body.accountId) : undefined;
  const input = await resolveConfigInput(ctx, { ...body, method: 'auth_code' }, stored);
  const config = parseConfig(ctx, input);
  const clientId = input.clientId ?? process.env.DYNAMICS_OAUTH_CLIENT_ID;
  // The installation's own app registration secret is read from the environment when needed,
  // never copied into accounts; only a secret the person entered is carried (and later stored).
  const clientSecret = input.clientSecret;
  if (!clientId) {
    throw new ApiError(
      400,
      'no_app_registration',
      'This installation has no app registration for signing in with Microsoft. Enter your own client ID under Advanced, or ask the administrator to set DYNAMICS_OAUTH_CLIENT_ID.',
      { field: 'clientId' },
    );
  }
  const redirectUri = `${ctx.appOrigin}/api/accounts/oauth/callback`;
  const request = await createAuthorizationRequest({
    serviceUrl: config.serviceUrl,
    identityEndpoint: config.identityEndpoint,
    clientId,
    redirectUri,
    prompt: 'select_account',
  });
  await recordPendingSignIn(db, user.id, stateHash(request.state), new Date(Date.now() + SIGN_IN_TTL_SECONDS * 1000).toISOString());
  const cookie = sealPendingSignIn(user.id, {
    state: request.state,
    codeVerifier: request.codeVerifier,
    redirectUri,
    config: {
      serviceUrl: config.serviceUrl,
      apiVersion: config.apiVersion,
      identityEndpoint: config.identityEndpoint,
      serviceKind: config.serviceKind,
    },
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    ...(body.name ? { name: body.name } : {}),
    ...(body.accountId ? { accountId: body.accountId } : {}),
  });
  return Response.json(
    { authorizeUrl: request.url },
    { headers: { 'Set-Cookie': pendingCookie(cookie, ctx.appOrigin.startsWith('https:')), 'Cache-Control': 'no-store' } },
  );
});
