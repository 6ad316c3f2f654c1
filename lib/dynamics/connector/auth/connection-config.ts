/**
 * A connection's values, checked and normalised into what the client needs — the part of the
 * connection description that depends on where the app runs (which hosts are allowed):
 *
 * - service URL: `https://<org>.crm[N].dynamics.com`, `.crm.microsoftdynamics.de`, `.dynamics.cn`,
 *   `.appsplatform.us`, the sandbox (`http(s)://<allowed host>/sandbox`) or an allow-listed host;
 *   trimmed, no trailing slash (the SSRF rules are in `client/url-safety/check-service-url.ts`).
 * - API version: `v9.0`, `v9.1`, `v9.2` (also written `9.1`), default `v9.2`.
 * - identity endpoint: defaults per cloud; the sandbox's is `<service URL>/login/organizations`.
 * - every other field: as the method's description says (connection-methods.ts).
 *
 * Organization URLs and versions: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 * National clouds' identity endpoints: https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
 */
import type { AccountConnection, AccountSecrets, ApiVersion, AuthMethod } from '../../client/types';
import {
  checkIdentityEndpoint,
  checkServiceUrl,
  defaultIdentityEndpoint,
  type ServiceUrlKind,
} from '../../client/url-safety/check-service-url';
import { authMethod } from './connection-methods';
import { checkFields, splitSecrets, type FieldIssue } from './define-connection';

export const API_VERSIONS = ['v9.0', 'v9.1', 'v9.2'] as const satisfies readonly ApiVersion[];
export const DEFAULT_API_VERSION: ApiVersion = 'v9.2';

/** `v9.1`, `9.1`, `V9.1 ` → `v9.1`; empty → default; anything else → null. */
export function normalizeApiVersion(input: string | null | undefined): ApiVersion | null {
  const text = (input ?? '').trim().toLowerCase();
  if (!text) return DEFAULT_API_VERSION;
  const v = text.startsWith('v') ? text : `v${text}`;
  return (API_VERSIONS as readonly string[]).includes(v) ? (v as ApiVersion) : null;
}

/** The fields every method has that say where the connection points; kept apart from the method's settings and secrets. */
export const ADDRESS_FIELDS = ['serviceUrl', 'apiVersion', 'identityEndpoint'] as const;
const isAddressField = (name: string) => (ADDRESS_FIELDS as readonly string[]).includes(name);

export interface ConnectionConfigOptions {
  /** `DYNAMICS_ALLOWED_HOSTS` plus the app's own origin host (for the embedded sandbox). */
  allowedHosts?: readonly string[];
}

/** A checked connection: where it points, and the method's other values split into plain settings and secrets. */
export interface ConnectionConfig {
  method: AuthMethod;
  serviceUrl: string;
  serviceKind: ServiceUrlKind;
  apiVersion: ApiVersion;
  identityEndpoint: string;
  /** The method's non-secret values by field name (client ID, username, secret expiry…). */
  settings: Record<string, string>;
  /** The method's secret values by field name; stored encrypted, never shown. */
  secrets: Record<string, string>;
}

export type ConnectionCheck = { ok: true; config: ConnectionConfig } | { ok: false; issues: FieldIssue[] };

/**
 * Checks every value of one method and normalises the connection's address.
 *
 * @example
 * const r = checkConnection('password', { serviceUrl: 'http://localhost:3000/sandbox/', apiVersion: '9.1',
 *   clientId: 'sandbox-client', clientSecret: 'sandbox-secret', username: 'sales@sandbox.local', password: 'sandbox' },
 *   { allowedHosts: ['localhost:3000'] });
 * // r.ok && r.config.identityEndpoint === 'http://localhost:3000/sandbox/login/organizations'
 */
export function checkConnection(
  method: AuthMethod,
  values: Readonly<Record<string, string | undefined>>,
  opts: ConnectionConfigOptions = {},
): ConnectionCheck {
  const description = authMethod(method);
  const checked = checkFields(description, values);
  if (!checked.ok) return checked;
  const { serviceUrl, apiVersion, identityEndpoint } = checked.values;
  const rest = Object.fromEntries(Object.entries(checked.values).filter(([name]) => !isAddressField(name)));
  const service = checkServiceUrl(serviceUrl ?? '', opts);
  if (!service.ok) return { ok: false, issues: [{ field: 'serviceUrl', message: service.reason }] };
  const version = normalizeApiVersion(apiVersion);
  if (!version) return { ok: false, issues: [{ field: 'apiVersion', message: 'The API version must be v9.0, v9.1 or v9.2.' }] };
  let authority = defaultIdentityEndpoint(service);
  if (identityEndpoint) {
    const identity = checkIdentityEndpoint(identityEndpoint, opts);
    if (!identity.ok) return { ok: false, issues: [{ field: 'identityEndpoint', message: identity.reason }] };
    authority = identity.url;
  }
  return {
    ok: true,
    config: {
      method,
      serviceUrl: service.url,
      serviceKind: service.kind,
      apiVersion: version,
      identityEndpoint: authority,
      ...splitSecrets(description, rest),
    },
  };
}

/** The values the client's own contract names (see `AccountSecrets` in client/types.ts). */
const CLIENT_SECRET_KEYS = [
  'clientSecret',
  'password',
  'accessToken',
  'refreshToken',
  'accessTokenExpiresAt',
] as const satisfies readonly (keyof AccountSecrets)[];

/**
 * The client's `AccountConnection` for a checked connection. `extraSecrets` are values obtained
 * rather than typed (tokens from a sign-in); `defaultClientId` is the installation's own app
 * registration, used when an auth-code account has none of its own.
 */
export function toAccountConnection(
  id: string,
  config: ConnectionConfig,
  opts: { defaultClientId?: string; extraSecrets?: AccountSecrets } = {},
): AccountConnection {
  const all: Record<string, string | undefined> = { ...config.secrets, ...opts.extraSecrets };
  const secrets: AccountSecrets = {};
  for (const key of CLIENT_SECRET_KEYS) if (all[key]) secrets[key] = all[key];
  if (config.settings.username) secrets.username = config.settings.username;
  return {
    id,
    serviceUrl: config.serviceUrl,
    apiVersion: config.apiVersion,
    identityEndpoint: config.identityEndpoint,
    method: config.method,
    clientId: config.settings.clientId ?? opts.defaultClientId ?? '',
    secrets,
  };
}
