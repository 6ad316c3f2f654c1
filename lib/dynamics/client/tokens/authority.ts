/**
 * Endpoints and scopes for the Microsoft identity platform, without discovery:
 * `<authority>/oauth2/v2.0/token` and `/authorize`; scope `<service URL>/.default` (or
 * `/user_impersonation`) plus `offline_access` for a refresh token.
 * Learn: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow and
 * https://learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth (Dataverse scopes)
 */
import type { AuthorizationServer } from 'oauth4webapi';

export type ScopePermission = '.default' | 'user_impersonation';

export function authorizationServerOf(identityEndpoint: string): AuthorizationServer {
  const authority = identityEndpoint.replace(/\/+$/, '');
  return {
    issuer: authority,
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
  };
}

/** `https://org.crm.dynamics.com/.default offline_access`. */
export function scopeFor(serviceUrl: string, permission: ScopePermission = '.default'): string {
  return `${serviceUrl.replace(/\/+$/, '')}/${permission} offline_access`;
}

/** Plain http is only ever allowed for the sandbox / allow-listed local identity endpoints. */
export const isInsecure = (url: string): boolean => new URL(url).protocol === 'http:';
