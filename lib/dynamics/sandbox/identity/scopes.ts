/**
 * Scope handling for Dataverse: `<resource>/.default` or `<resource>/user_impersonation`, plus OIDC
 * scopes. The token audience is the resource; a scope without a scheme is AADSTS70011.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth
 */
import { aad } from './aad-errors';

const OIDC = new Set(['openid', 'profile', 'email', 'offline_access']);

export interface ParsedScope {
  resource: string | null;
  /** the resource-scope suffix (".default" or "user_impersonation") */
  permission: string | null;
  oidc: Set<string>;
}

export function parseScope(scope: string): ParsedScope {
  const result: ParsedScope = { resource: null, permission: null, oidc: new Set() };
  for (const s of scope.split(/\s+/).filter(Boolean)) {
    if (OIDC.has(s)) {
      result.oidc.add(s);
      continue;
    }
    const m = /^(https?:\/\/[^\s]+?)\/([^/\s]+)$/i.exec(s);
    if (!m || !m[1] || !m[2]) throw aad.invalidScope(s);
    if (!result.resource) {
      result.resource = m[1];
      result.permission = m[2];
    }
  }
  return result;
}

/** The `scope` field of token responses. */
export function grantedScope(audience: string, oidc: Set<string>): string {
  return [
    `${audience}/user_impersonation`,
    `${audience}/.default`,
    ...[...oidc].filter((s) => s !== 'offline_access'),
    ...(oidc.has('offline_access') ? ['offline_access'] : []),
  ].join(' ');
}
