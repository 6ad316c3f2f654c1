/**
 * The Catalog's "Generate tokens" helper for Basic OAuth: one password grant from client id/secret
 * and username/password, returning the access and refresh tokens to store (Learn:
 * entra/identity-platform/v2-oauth-ropc).
 */
import { checkIdentityEndpoint, checkServiceUrl, defaultIdentityEndpoint } from '../../client/url-safety/check-service-url';
import { assertResolvesPublic, type Resolver } from '../../client/url-safety/resolve-public';
import { DataverseError } from '../../client/errors/dataverse-error';
import { createHttpTransport, type Transport } from '../../client/transport/http-transport';
import type { TokenSet } from '../../client/types';
import { scopeFor, type ScopePermission } from '../../client/tokens/authority';
import { requestTokens } from '../../client/tokens/token-endpoint';

export interface GenerateTokensInput {
  serviceUrl: string;
  identityEndpoint?: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

export interface GenerateTokensOptions {
  allowedHosts?: readonly string[];
  resolver?: Resolver;
  transport?: Transport;
  scopePermission?: ScopePermission;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * @example
 * const { accessToken, refreshToken, expiresAt } = await generateTokens({ serviceUrl, clientId, clientSecret, username, password });
 */
export async function generateTokens(input: GenerateTokensInput, opts: GenerateTokensOptions = {}): Promise<TokenSet> {
  const service = checkServiceUrl(input.serviceUrl, opts);
  if (!service.ok) throw DataverseError.local('unsafe_url', service.reason);
  const identity = checkIdentityEndpoint(input.identityEndpoint ?? defaultIdentityEndpoint(service), opts);
  if (!identity.ok) throw DataverseError.local('unsafe_url', identity.reason);
  await assertResolvesPublic(identity.url, opts);
  const own = opts.transport ? null : createHttpTransport({ allowedHosts: opts.allowedHosts, resolver: opts.resolver });
  try {
    return await requestTokens(
      {
        identityEndpoint: identity.url,
        clientId: input.clientId,
        clientSecret: input.clientSecret,
        transport: opts.transport ?? own!,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      },
      { type: 'password', username: input.username, password: input.password, scope: scopeFor(service.url, opts.scopePermission) },
    );
  } finally {
    own?.close();
  }
}
