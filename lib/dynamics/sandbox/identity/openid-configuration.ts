/**
 * `GET /login/<tenant>/v2.0/.well-known/openid-configuration` and the JWKS it points to: the
 * discovery that MSAL-style clients perform first. Issuer uses the `{tenantid}` placeholder on the
 * multi-tenant segments, as Microsoft's does.
 *
 * Learn: https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc
 */
import type { IdentityContext } from './directory';

export function openIdConfiguration(
  ctx: IdentityContext,
  authority: string,
  serviceLogin: string,
  multiTenant: boolean,
): Record<string, unknown> {
  const issuerTenant = multiTenant ? '{tenantid}' : ctx.tenantId;
  return {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${serviceLogin}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${authority}/openid/userinfo`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    grant_types_supported: ['authorization_code', 'refresh_token', 'password', 'client_credentials'],
    code_challenge_methods_supported: ['plain', 'S256'],
    kerberos_endpoint: `${authority}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

export function jwks(ctx: IdentityContext): Record<string, unknown> {
  const k = ctx.key();
  return { keys: [{ ...k.publicJwk, x5t: k.kid, issuer: 'sandbox' }] };
}
