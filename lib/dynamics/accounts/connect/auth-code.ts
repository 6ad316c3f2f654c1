/**
 * OAuth 2.0 authorization code with PKCE for the "sign in on the application's website" method
 * (Learn: entra/identity-platform/v2-oauth2-auth-code-flow). The catalog route calls
 * `createAuthorizationRequest` (keeps `state` and `codeVerifier` server-side, redirects the browser
 * to `url`) and, on the callback, `redeemAuthorizationCode`.
 */
import * as oauth from 'oauth4webapi';
import { DataverseError } from '../../client/errors/dataverse-error';
import type { Transport } from '../../client/transport/http-transport';
import type { TokenSet } from '../../client/types';
import { authorizationServerOf, scopeFor, type ScopePermission } from '../../client/tokens/authority';
import { requestTokens } from '../../client/tokens/token-endpoint';
import { TokenError } from '../../client/tokens/token-error';
import { describeTokenError } from '../../client/tokens/aadsts';

export interface AuthorizationRequestInput {
  serviceUrl: string;
  identityEndpoint: string;
  clientId: string;
  redirectUri: string;
  scopePermission?: ScopePermission;
  /** e.g. `select_account` or `login`. */
  prompt?: string;
  loginHint?: string;
}

export interface AuthorizationRequest {
  url: string;
  /** Keep server-side (session) and compare on the callback. */
  state: string;
  /** Keep server-side; never sent to the browser. */
  codeVerifier: string;
}

/**
 * Builds the authorize URL with `state` and an S256 `code_challenge`.
 *
 * @example
 * const { url, state, codeVerifier } = await createAuthorizationRequest({ serviceUrl, identityEndpoint, clientId, redirectUri });
 * // store state + codeVerifier, then redirect to url
 */
export async function createAuthorizationRequest(input: AuthorizationRequestInput): Promise<AuthorizationRequest> {
  const as = authorizationServerOf(input.identityEndpoint);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint ?? '');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('response_mode', 'query');
  url.searchParams.set('scope', scopeFor(input.serviceUrl, input.scopePermission));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (input.prompt) url.searchParams.set('prompt', input.prompt);
  if (input.loginHint) url.searchParams.set('login_hint', input.loginHint);
  return { url: url.toString(), state, codeVerifier };
}

export interface RedeemInput {
  identityEndpoint: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  /** The full callback URL or its query parameters. */
  callback: URL | URLSearchParams | string;
  expectedState: string;
  codeVerifier: string;
  transport: Transport;
  signal?: AbortSignal;
}

/** Checks `state`, turns an `error=` callback into a TokenError, and redeems the code. */
export async function redeemAuthorizationCode(input: RedeemInput): Promise<TokenSet> {
  const as = authorizationServerOf(input.identityEndpoint);
  const params =
    input.callback instanceof URLSearchParams ? input.callback : new URL(String(input.callback), 'http://callback.invalid').searchParams;
  let validated: URLSearchParams;
  try {
    validated = oauth.validateAuthResponse(as, { client_id: input.clientId }, params, input.expectedState);
  } catch (err) {
    if (err instanceof oauth.AuthorizationResponseError) {
      const body = { error: err.error, error_description: err.error_description ?? '' };
      const meaning = describeTokenError(body);
      throw new TokenError({
        status: 400,
        error: err.error,
        description: (err.error_description ?? '').split(/\r?\n/)[0] ?? '',
        words: err.error === 'access_denied' ? 'The sign-in was cancelled or refused.' : meaning.words,
        reconnect: true,
        transient: false,
      });
    }
    throw new DataverseError({
      status: 400,
      code: 'invalid_state',
      serviceMessage: err instanceof Error ? err.message : '',
      explanation: 'The sign-in answer does not belong to this sign-in (state mismatch). Start the sign-in again.',
    });
  }
  return requestTokens(
    {
      identityEndpoint: input.identityEndpoint,
      clientId: input.clientId,
      ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}),
      transport: input.transport,
      ...(input.signal ? { signal: input.signal } : {}),
    },
    { type: 'authorization_code', callbackParams: validated, redirectUri: input.redirectUri, codeVerifier: input.codeVerifier },
  );
}
