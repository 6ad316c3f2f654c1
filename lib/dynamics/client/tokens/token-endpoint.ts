/**
 * Token endpoint calls through oauth4webapi: form-encoded POSTs (password, refresh_token and
 * authorization_code grants) answered with JSON tokens, or an `error` plus an AADSTS description.
 * Requests go through the guarded transport (`customFetch`), only to `<authority>/oauth2/v2.0/token`;
 * plain http is allowed only when the authority itself is http (the sandbox / allow-listed hosts,
 * already validated by `checkIdentityEndpoint`).
 */
import * as oauth from 'oauth4webapi';
import { DataverseError } from '../errors/dataverse-error';
import { transportFetch, type Transport } from '../transport/http-transport';
import type { TokenSet } from '../types';
import { authorizationServerOf, isInsecure } from './authority';
import { tokenErrorFromBody } from './token-error';

export interface TokenClient {
  identityEndpoint: string;
  clientId: string;
  clientSecret?: string;
  transport: Transport;
  timeoutMs?: number;
  now?: () => number;
  signal?: AbortSignal;
}

export type Grant =
  | { type: 'password'; username: string; password: string; scope: string }
  | { type: 'refresh_token'; refreshToken: string; scope?: string }
  | { type: 'authorization_code'; callbackParams: URLSearchParams; redirectUri: string; codeVerifier: string };

function requestOptions(tc: TokenClient, as: oauth.AuthorizationServer) {
  const fetcher = transportFetch(tc.transport, tc.timeoutMs ?? 30_000);
  return {
    [oauth.customFetch]: (url: string, init: Parameters<typeof fetcher>[1]) => {
      // Credentials only ever go to the token endpoint itself.
      if (url !== as.token_endpoint)
        return Promise.reject(DataverseError.local('unsafe_url', 'Token request to an unexpected address refused.'));
      return fetcher(url, init);
    },
    ...(isInsecure(as.token_endpoint ?? '') ? { [oauth.allowInsecureRequests]: true } : {}),
    ...(tc.signal ? { signal: tc.signal } : {}),
  };
}

function toTokenSet(res: oauth.TokenEndpointResponse, now: number): TokenSet {
  const lifetime = typeof res.expires_in === 'number' && res.expires_in > 0 ? res.expires_in : 3600;
  return {
    accessToken: res.access_token,
    ...(typeof res.refresh_token === 'string' ? { refreshToken: res.refresh_token } : {}),
    expiresAt: new Date(now + lifetime * 1000).toISOString(),
  };
}

function mapError(err: unknown): never {
  if (err instanceof DataverseError) throw err;
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    throw DataverseError.local(
      err.name === 'TimeoutError' ? 'timeout' : 'aborted',
      err.name === 'TimeoutError' ? 'The identity endpoint did not answer in time.' : 'The call was cancelled.',
      err,
    );
  }
  if (err instanceof oauth.ResponseBodyError) throw tokenErrorFromBody(err.status, err.cause as Record<string, unknown>);
  if (err instanceof oauth.WWWAuthenticateChallengeError) {
    throw tokenErrorFromBody(err.status, {
      error: err.cause[0]?.parameters.error ?? 'invalid_client',
      error_description: err.cause[0]?.parameters.error_description ?? '',
    });
  }
  const cause = (err as { cause?: unknown })?.cause;
  const status = cause instanceof Response ? cause.status : 0;
  throw new DataverseError({
    status,
    code: 'token_endpoint',
    serviceMessage: err instanceof Error ? err.message : 'Unexpected answer from the identity endpoint',
    explanation: 'The identity endpoint sent an answer that could not be used.',
    transient: status === 0 || status >= 500,
    cause: err,
  });
}

/**
 * Redeems one grant at the token endpoint and returns the tokens.
 *
 * @example
 * const tokens = await requestTokens({ identityEndpoint, clientId, clientSecret, transport },
 *   { type: 'password', username, password, scope: scopeFor(serviceUrl) });
 */
export async function requestTokens(tc: TokenClient, grant: Grant): Promise<TokenSet> {
  const as = authorizationServerOf(tc.identityEndpoint);
  const client: oauth.Client = { client_id: tc.clientId };
  const auth = tc.clientSecret ? oauth.ClientSecretPost(tc.clientSecret) : oauth.None();
  const options = requestOptions(tc, as);
  const now = (tc.now ?? Date.now)();
  try {
    let response: Response;
    switch (grant.type) {
      case 'password':
        // Learn: https://learn.microsoft.com/entra/identity-platform/v2-oauth-ropc
        response = await oauth.genericTokenEndpointRequest(
          as,
          client,
          auth,
          'password',
          { username: grant.username, password: grant.password, scope: grant.scope },
          options,
        );
        return toTokenSet(await oauth.processGenericTokenEndpointResponse(as, client, response), now);
      case 'refresh_token':
        // Learn: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
        response = await oauth.refreshTokenGrantRequest(as, client, auth, grant.refreshToken, {
          ...options,
          ...(grant.scope ? { additionalParameters: { scope: grant.scope } } : {}),
        });
        return toTokenSet(await oauth.processRefreshTokenResponse(as, client, response), now);
      case 'authorization_code':
        // Learn: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
        response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          auth,
          grant.callbackParams,
          grant.redirectUri,
          grant.codeVerifier,
          options,
        );
        return toTokenSet(await oauth.processAuthorizationCodeResponse(as, client, response), now);
    }
  } catch (err) {
    mapError(err);
  }
}
