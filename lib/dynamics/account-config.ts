/**
 * Account configuration: what a person types on the Catalog's Connect form, validated and
 * normalised (issue 4 "Account configuration and tokens"; DESIGN.md journey 2 table).
 *
 * - service URL: `https://<org>.crm[N].dynamics.com`, `.crm.microsoftdynamics.de`, `.dynamics.cn`,
 *   `.appsplatform.us`, the sandbox (`http(s)://<allowed host>/sandbox`) or an allow-listed host;
 *   trimmed, no trailing slash (see `client/url-safety/check-service-url.ts`).
 * - API version: `v9.0`, `v9.1`, `v9.2` (also written `9.1`), default `v9.2`.
 * - identity endpoint: defaults per cloud; the sandbox's is `<service URL>/login/organizations`.
 * - method-specific required fields.
 */
import { z } from 'zod';
import type { AccountConnection, AccountSecrets, ApiVersion, AuthMethod } from './client/types';
import {
  checkIdentityEndpoint,
  checkServiceUrl,
  defaultIdentityEndpoint,
  type ServiceUrlKind,
} from './client/url-safety/check-service-url';

export const API_VERSIONS = ['v9.0', 'v9.1', 'v9.2'] as const satisfies readonly ApiVersion[];
export const DEFAULT_API_VERSION: ApiVersion = 'v9.2';
export const AUTH_METHODS = ['auth_code', 'basic_oauth', 'password'] as const satisfies readonly AuthMethod[];

/** `v9.1`, `9.1`, `V9.1 ` → `v9.1`; empty → default; anything else → null. */
export function normalizeApiVersion(input: string | null | undefined): ApiVersion | null {
  const text = (input ?? '').trim().toLowerCase();
  if (!text) return DEFAULT_API_VERSION;
  const v = text.startsWith('v') ? text : `v${text}`;
  return (API_VERSIONS as readonly string[]).includes(v) ? (v as ApiVersion) : null;
}

export interface AccountConfigOptions {
  /** `DYNAMICS_ALLOWED_HOSTS` plus the app's own origin host (for the embedded sandbox). */
  allowedHosts?: readonly string[];
}

/** Fields each method requires (besides service URL and API version), as data. */
export const REQUIRED_FIELDS: Readonly<Record<AuthMethod, readonly (keyof AccountConfigInput)[]>> = {
  auth_code: [],
  basic_oauth: ['accessToken', 'refreshToken', 'clientId', 'clientSecret'],
  password: ['clientId', 'clientSecret', 'username', 'password'],
};

const FIELD_LABELS: Record<string, string> = {
  accessToken: 'Access token',
  refreshToken: 'Refresh token',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  username: 'Username',
  password: 'Password',
};

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .nullable()
    .transform((v) => (v == null || v.trim() === '' ? undefined : v.trim()));

/** The raw input shape (form / API body). */
export const accountConfigInputSchema = z.object({
  method: z.enum(AUTH_METHODS),
  name: optionalText(200),
  serviceUrl: z.string().max(2048),
  apiVersion: optionalText(16),
  identityEndpoint: optionalText(2048),
  clientId: optionalText(200),
  clientSecret: optionalText(4096),
  accessToken: optionalText(16384),
  refreshToken: optionalText(16384),
  username: optionalText(320),
  password: z
    .string()
    .max(1024)
    .optional()
    .nullable()
    .transform((v) => (v ? v : undefined)),
});
export type AccountConfigInput = z.input<typeof accountConfigInputSchema>;

/** The normalised configuration. */
export interface AccountConfig {
  method: AuthMethod;
  name?: string;
  serviceUrl: string;
  serviceKind: ServiceUrlKind;
  apiVersion: ApiVersion;
  identityEndpoint: string;
  clientId?: string;
  secrets: AccountSecrets;
}

/**
 * A zod schema that validates and normalises an account configuration.
 *
 * @example
 * const config = accountConfigSchema({ allowedHosts: ['localhost:3000'] }).parse({
 *   method: 'password', serviceUrl: 'http://localhost:3000/sandbox/', apiVersion: '9.1',
 *   clientId: 'sandbox-client', clientSecret: 'sandbox-secret', username: 'sales@sandbox.local', password: 'sandbox',
 * });
 * // config.identityEndpoint === 'http://localhost:3000/sandbox/login/organizations'
 */
export function accountConfigSchema(opts: AccountConfigOptions = {}) {
  return accountConfigInputSchema.transform((input, ctx): AccountConfig => {
    const service = checkServiceUrl(input.serviceUrl, opts);
    if (!service.ok) {
      ctx.addIssue({ code: 'custom', path: ['serviceUrl'], message: service.reason });
      return z.NEVER;
    }
    const apiVersion = normalizeApiVersion(input.apiVersion);
    if (!apiVersion) {
      ctx.addIssue({ code: 'custom', path: ['apiVersion'], message: 'The API version must be v9.0, v9.1 or v9.2.' });
      return z.NEVER;
    }
    let identityEndpoint = defaultIdentityEndpoint(service);
    if (input.identityEndpoint) {
      const identity = checkIdentityEndpoint(input.identityEndpoint, opts);
      if (!identity.ok) {
        ctx.addIssue({ code: 'custom', path: ['identityEndpoint'], message: identity.reason });
        return z.NEVER;
      }
      identityEndpoint = identity.url;
    }
    let missing = false;
    for (const field of REQUIRED_FIELDS[input.method]) {
      if (!input[field]) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${FIELD_LABELS[field] ?? field} is required for this authorization method.`,
        });
        missing = true;
      }
    }
    if (missing) return z.NEVER;
    const secrets: AccountSecrets = {};
    if (input.method !== 'auth_code') secrets.clientSecret = input.clientSecret;
    if (input.method === 'basic_oauth') {
      secrets.accessToken = input.accessToken;
      secrets.refreshToken = input.refreshToken;
    }
    if (input.method === 'password') {
      secrets.username = input.username;
      secrets.password = input.password;
    }
    return {
      method: input.method,
      ...(input.name ? { name: input.name } : {}),
      serviceUrl: service.url,
      serviceKind: service.kind,
      apiVersion,
      identityEndpoint,
      ...(input.clientId ? { clientId: input.clientId } : {}),
      secrets,
    };
  });
}

/**
 * Builds the client's `AccountConnection`. `defaultClientId` is the app registration used for the
 * auth-code method when the account has none of its own (server configuration).
 */
export function toAccountConnection(id: string, config: AccountConfig, defaultClientId = ''): AccountConnection {
  return {
    id,
    serviceUrl: config.serviceUrl,
    apiVersion: config.apiVersion,
    identityEndpoint: config.identityEndpoint,
    method: config.method,
    clientId: config.clientId ?? defaultClientId,
    secrets: { ...config.secrets },
  };
}
