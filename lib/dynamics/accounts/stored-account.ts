/**
 * How a connection is kept: its address in the account's own columns, the method's plain settings
 * in `config_json`, its secrets (typed or obtained tokens) encrypted in one blob — which is which
 * comes from the connection description. And the way back: a stored account as the values of its
 * method, as the client's connection, and as the browser may see it.
 */
import type { Account, AccountSecrets as StoredSecrets, NewAccount } from '@/lib/db/repositories/accounts';
import type { FlowRef } from '@/lib/db/repositories/flows-using-accounts';
import type { AccountConnection, ApiVersion, TokenSet } from '../client/types';
import { authMethod } from '../connector/auth/connection-methods';
import { ADDRESS_FIELDS, toAccountConnection, type ConnectionConfig } from '../connector/auth/connection-config';
import { fieldEntries, secretPresence } from '../connector/auth/define-connection';
import type { ServiceUrlKind } from '../client/url-safety/check-service-url';
import { accountHealth } from './account-health';
import type { AccountView } from './account-view';

/** What `config_json` holds besides the method's settings. */
interface StoredBookkeeping {
  sandbox?: boolean;
  /** ISO time the stored refresh token was obtained (it rotates on every refresh). */
  refreshTokenObtainedAt?: string;
}

/** The tokens a verification or sign-in obtained, kept with the typed secrets. */
function tokenSecrets(tokens: TokenSet | undefined): StoredSecrets {
  if (!tokens) return {};
  return {
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: tokens.expiresAt,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
  };
}

/** The repository fields for a verified connection; `previous` is the stored config when updating. */
export function storedFields(
  config: ConnectionConfig,
  verified: { principal: string; tokens?: TokenSet },
  previous?: Record<string, unknown>,
): Omit<NewAccount, 'application' | 'name'> {
  const secrets: StoredSecrets = { ...config.secrets, ...tokenSecrets(verified.tokens) };
  const previousObtainedAt = typeof previous?.refreshTokenObtainedAt === 'string' ? previous.refreshTokenObtainedAt : undefined;
  const bookkeeping: StoredBookkeeping = {
    ...(config.serviceKind === 'sandbox' ? { sandbox: true } : {}),
    ...(secrets.refreshToken !== undefined
      ? { refreshTokenObtainedAt: new Date().toISOString() }
      : previousObtainedAt
        ? { refreshTokenObtainedAt: previousObtainedAt }
        : {}),
  };
  return {
    serviceUrl: config.serviceUrl,
    apiVersion: config.apiVersion,
    identityEndpoint: config.identityEndpoint,
    authMethod: config.method,
    config: { ...config.settings, ...bookkeeping },
    secrets,
    status: 'connected',
    statusReason: null,
    principal: verified.principal,
  };
}

/**
 * A stored account as the values of its method's fields, to merge an update into. Accounts stored
 * before settings and secrets were split by the description kept the username among the secrets.
 */
export function storedValues(account: Account, secrets: StoredSecrets): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of ADDRESS_FIELDS) values[name] = account[name];
  for (const [name, field] of fieldEntries(authMethod(account.authMethod))) {
    if (name in values) continue;
    const value = field.secret ? secrets[name] : (account.config[name] ?? secrets[name]);
    if (typeof value === 'string' && value) values[name] = value;
  }
  return values;
}

/** The stored account as a checked connection (it was checked when it was saved). */
export function storedConfig(account: Account, secrets: StoredSecrets): ConnectionConfig {
  const settings: Record<string, string> = {};
  const typed: Record<string, string> = {};
  const values = storedValues(account, secrets);
  for (const [name, field] of fieldEntries(authMethod(account.authMethod))) {
    const value = values[name];
    if (value === undefined || (ADDRESS_FIELDS as readonly string[]).includes(name)) continue;
    (field.secret ? typed : settings)[name] = value;
  }
  return {
    method: account.authMethod,
    serviceUrl: account.serviceUrl,
    serviceKind: (account.config.sandbox === true ? 'sandbox' : 'dynamics') satisfies ServiceUrlKind,
    apiVersion: account.apiVersion as ApiVersion,
    identityEndpoint: account.identityEndpoint,
    settings,
    secrets: typed,
  };
}

/** The secret of the installation's own app registration, for accounts signed in through it. */
export function installationSecretFor(clientId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return clientId && clientId === env.DYNAMICS_OAUTH_CLIENT_ID ? env.DYNAMICS_OAUTH_CLIENT_SECRET || undefined : undefined;
}

/** The stored account as the client's connection (server-side only): typed secrets, obtained tokens, the installation's secret where it applies. */
export function storedConnection(account: Account, secrets: StoredSecrets): AccountConnection {
  const config = storedConfig(account, secrets);
  const installationSecret =
    account.authMethod === 'auth_code' && !config.secrets.clientSecret ? installationSecretFor(config.settings.clientId ?? '') : undefined;
  return toAccountConnection(account.id, config, {
    extraSecrets: {
      ...(installationSecret ? { clientSecret: installationSecret } : {}),
      ...(secrets.accessToken ? { accessToken: secrets.accessToken } : {}),
      ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : {}),
      ...(secrets.accessTokenExpiresAt ? { accessTokenExpiresAt: secrets.accessTokenExpiresAt } : {}),
    },
  });
}

/** The account as the browser may see it: settings, and only "•••• set" for each stored secret. */
export function toAccountView(account: Account, secrets: StoredSecrets, flows: FlowRef[]): AccountView {
  const method = authMethod(account.authMethod);
  const values = storedValues(account, secrets);
  const settings = Object.fromEntries(
    fieldEntries(method).flatMap(([name, f]) => (!f.secret && values[name] !== undefined ? [[name, values[name]] as const] : [])),
  );
  const { health, reason } = accountHealth({
    status: account.status,
    statusReason: account.statusReason,
    method: account.authMethod,
    refreshTokenObtainedAt: typeof account.config.refreshTokenObtainedAt === 'string' ? account.config.refreshTokenObtainedAt : null,
    clientSecretExpiresOn: settings.clientSecretExpiresOn ?? null,
  });
  return {
    id: account.id,
    application: account.application,
    name: account.name,
    serviceUrl: account.serviceUrl,
    apiVersion: account.apiVersion,
    identityEndpoint: account.identityEndpoint,
    method: account.authMethod,
    settings,
    secrets: secretPresence(method, secrets),
    principal: account.principal,
    health,
    healthReason: reason,
    isSandbox: account.config.sandbox === true,
    flows,
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
}
