/**
 * "Sign in with Microsoft" (OAuth 2.0 auth code with PKCE), as two use cases: start (the authorize
 * URL, and a sealed pending sign-in for the browser to carry as a cookie) and complete (redeem the
 * code, verify, save). The route only moves the cookie and the redirect.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
import { consumePendingSignIn, recordPendingSignIn } from '@/lib/db/repositories/pending-sign-ins';
import { invalid } from '@/lib/errors/domain-error';
import { createHttpTransport } from '../client/transport/http-transport';
import { toAccountConnection } from '../connector/auth/connection-config';
import type { AccountContext } from './account-context';
import { forgetAccount, resolveConnection, saveNewAccount, verifyOrFail } from './account-service';
import type { OAuthStartRequest } from './connect-requests';
import { allowedHostsFor } from './connection-options';
import { openPendingSignIn, sealPendingSignIn, SIGN_IN_TTL_SECONDS, stateHash } from './oauth-flow';
import { loadOwnAccount } from './own-account';
import { createAuthorizationRequest, redeemAuthorizationCode } from './connect/auth-code';
import { installationSecretFor, storedFields, storedValues } from './stored-account';
import { updateAccount } from '@/lib/db/repositories/accounts';

export const OAUTH_CALLBACK_PATH = '/api/accounts/oauth/callback';

/** Refused sign-ins all read the same: nothing in the answer helps someone replaying or forging one. */
const STALE =
  'The Microsoft sign-in could not be completed: it was started in another session, took too long or was already used. Start again from Connect.';

export async function startMicrosoftSignIn(
  ctx: AccountContext,
  request: OAuthStartRequest,
  signal?: AbortSignal,
): Promise<{ authorizeUrl: string; pending: string }> {
  const stored = request.accountId ? await loadOwnAccount(ctx, request.accountId) : undefined;
  const config = await resolveConnection(
    ctx,
    { ...request, method: 'auth_code' },
    stored ? storedValues(stored.account, stored.account.authMethod === 'auth_code' ? stored.secrets : {}) : undefined,
    signal,
  );
  // The installation's own app registration is used when the person names none; its secret is
  // read from the environment when needed, never copied into accounts.
  const clientId = config.settings.clientId ?? process.env.DYNAMICS_OAUTH_CLIENT_ID;
  if (!clientId) {
    throw invalid(
      'no_app_registration',
      'This installation has no app registration for signing in with Microsoft. Enter your own client ID under Advanced, or ask the administrator to set DYNAMICS_OAUTH_CLIENT_ID.',
      { field: 'clientId' },
    );
  }
  const redirectUri = `${ctx.appOrigin}${OAUTH_CALLBACK_PATH}`;
  const authorization = await createAuthorizationRequest({
    serviceUrl: config.serviceUrl,
    identityEndpoint: config.identityEndpoint,
    clientId,
    redirectUri,
    prompt: 'select_account',
  });
  await recordPendingSignIn(
    ctx.db,
    ctx.ownerId,
    stateHash(authorization.state),
    new Date(Date.now() + SIGN_IN_TTL_SECONDS * 1000).toISOString(),
  );
  const pending = sealPendingSignIn(ctx.ownerId, {
    state: authorization.state,
    codeVerifier: authorization.codeVerifier,
    redirectUri,
    config: { ...config, settings: { ...config.settings, clientId } },
    ...(request.name ? { name: request.name } : {}),
    ...(request.accountId ? { accountId: request.accountId } : {}),
  });
  return { authorizeUrl: authorization.url, pending };
}

/**
 * Completes a sign-in from Microsoft's redirect: the pending sign-in must be this user's, match
 * the `state`, and be used for the first time; then the code is redeemed, the connection verified
 * and the account saved (or updated, when signing an existing account in again).
 */
export async function completeMicrosoftSignIn(
  ctx: AccountContext,
  input: { pending: string | undefined; callback: URLSearchParams },
  signal?: AbortSignal,
): Promise<{ accountId: string }> {
  const opened = openPendingSignIn(ctx.ownerId, input.pending);
  if (!opened.ok) throw invalid('sign_in_stale', STALE);
  const sign = opened.data;
  if (input.callback.get('state') !== sign.state) throw invalid('sign_in_stale', STALE);
  // Each state completes once, whatever the browser sends back (a replayed cookie included).
  if (!(await consumePendingSignIn(ctx.db, ctx.ownerId, stateHash(sign.state)))) throw invalid('sign_in_stale', STALE);

  const { config } = sign;
  const clientId = config.settings.clientId ?? '';
  const clientSecret = config.secrets.clientSecret ?? installationSecretFor(clientId);
  const transport = createHttpTransport({ allowedHosts: allowedHostsFor(ctx.appOrigin) });
  try {
    const tokens = await redeemAuthorizationCode({
      identityEndpoint: config.identityEndpoint,
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      redirectUri: sign.redirectUri,
      callback: input.callback,
      expectedState: sign.state,
      codeVerifier: sign.codeVerifier,
      transport,
      ...(signal ? { signal } : {}),
    });
    // Verified with the installation's secret too (if any), stored with only the person's own.
    const connection = toAccountConnection(sign.accountId ?? 'new', config, {
      extraSecrets: {
        ...(clientSecret ? { clientSecret } : {}),
        accessToken: tokens.accessToken,
        accessTokenExpiresAt: tokens.expiresAt,
        ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      },
    });
    const verified = await verifyOrFail(ctx, connection, signal);
    const outcome = { principal: verified.principal, tokens: verified.tokens ?? tokens };
    if (sign.accountId) {
      const { account } = await loadOwnAccount(ctx, sign.accountId);
      await updateAccount(ctx.db, ctx.ownerId, account.id, storedFields(config, outcome, account.config));
      await forgetAccount(account.id);
      return { accountId: account.id };
    }
    const account = await saveNewAccount(ctx, sign.name, storedFields(config, outcome));
    return { accountId: account.id };
  } finally {
    transport.close();
  }
}
