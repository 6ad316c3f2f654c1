/**
 * The sandbox tenant's directory: built-in users and app registrations (the fixed credentials that
 * tests, the app's sandbox account and the README rely on: client `sandbox-client`/`sandbox-secret`,
 * user `sales@sandbox.local`/`sandbox`), and the tenant segments of the v2 endpoints: `organizations`,
 * `common`, `consumers`, or the tenant's GUID or domain.
 *
 * Learn: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
import { APP_USER, MFA_USER, NO_ACCESS_USER, SALES_USER, SANDBOX_CLIENT, SANDBOX_TENANT_ID } from '../seed/constants';
import { isGuid } from '../util/guid';
import type { SandboxConfig } from '../context';
import type { GrantStore } from './grants';
import type { SigningKey } from './signing-key';

export interface SandboxUser {
  username: string;
  password: string;
  objectId: string;
  name: string;
  /** The password grant is refused (AADSTS50076); only the interactive sign-in works. */
  requiresMfa?: boolean;
}

export interface SandboxClient {
  clientId: string;
  /** undefined = public client (PKCE without a secret) */
  clientSecret?: string;
  /** objectId of the application user that client_credentials tokens act as */
  appObjectId: string;
}

export const builtInUsers: SandboxUser[] = [
  {
    username: SALES_USER.username,
    password: SALES_USER.password,
    objectId: SALES_USER.objectId,
    name: `${SALES_USER.firstname} ${SALES_USER.lastname}`,
  },
  { ...MFA_USER, requiresMfa: true },
  { ...NO_ACCESS_USER },
];

export const builtInClients: SandboxClient[] = [
  { clientId: SANDBOX_CLIENT.clientId, clientSecret: SANDBOX_CLIENT.clientSecret, appObjectId: APP_USER.objectId },
];

export interface IdentityContext {
  config: SandboxConfig;
  /**
   * The redirect URIs registered for the sandbox's clients at this request's origin: like Microsoft's,
   * the sign-in and sign-out endpoints redirect only to one of these, compared as exact strings.
   */
  redirectUris(origin: string): readonly string[];
  key: () => SigningKey;
  grants: GrantStore;
  tenantId: string;
  users: SandboxUser[];
  clients: SandboxClient[];
}

/** The app's own OAuth callback (lib/dynamics/accounts/microsoft-sign-in.ts), registered at every origin the sandbox serves. */
export const APP_CALLBACK_PATH = '/api/accounts/oauth/callback';

/** Exact comparison, as Microsoft's: no prefix, case, port or encoding leeway, so nothing but a registered URI is ever a redirect target. */
export function isRegisteredRedirect(ctx: IdentityContext, origin: string, uri: string | null): uri is string {
  return uri !== null && uri !== '' && ctx.redirectUris(origin).includes(uri);
}

export type TenantKind = 'organizations' | 'common' | 'consumers' | 'tenant';

/** `organizations`, `common`, `consumers`, the tenant GUID or the tenant's domain. */
export function classifyTenant(segment: string): TenantKind | null {
  const s = segment.toLowerCase();
  if (s === 'organizations' || s === 'common' || s === 'consumers') return s;
  if (isGuid(s) || s === 'sandbox.local' || s === 'sandbox.onmicrosoft.com') return 'tenant';
  return null;
}

export const tenantIdOf = (): string => SANDBOX_TENANT_ID;
