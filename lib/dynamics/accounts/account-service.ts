import type { Db } from '@/lib/db/database';
import { DuplicateError } from '@/lib/db/errors';
import {
  createAccount,
  deleteAccount,
  findAccount,
  listAccounts,
  readAccountSecrets,
  updateAccount,
  type Account,
  type AccountSecrets as StoredSecrets,
} from '@/lib/db/repositories/accounts';
import { accountConfigSchema, type AccountConfig, type AccountConfigInput } from '@/lib/dynamics/account-config';
import { generateTokens } from '@/lib/dynamics/accounts/sign-in/generate-tokens';
import { verifyConnection } from '@/lib/dynamics/accounts/sign-in/verify-connection';
import type { AccountConnection, TokenSet } from '@/lib/dynamics/client/types';
import { ApiError, conflict } from '@/lib/server/api-error';
import { accountHealth } from './account-health';
import type { AccountView } from './account-view';
import { SECRET_FIELDS, SECRET_PLACEHOLDER } from './connect-methods';
import type { ConnectCredentials } from './connect-schema';
import { allowedHostsFor } from './connection-options';
import { nextDefaultAccountName } from './default-name';
import { flowsUsingAccounts, type FlowRef } from '../../db/repositories/flows-using-accounts';
import { SANDBOX_CREDENTIALS, sandboxEnabled, sandboxIdentityEndpoint, sandboxServiceUrl } from './sandbox-defaults';
import { unseal } from './sealed';
import { verificationFailed } from './verification-error';

export const APPLICATION_ID = 'dynamics365-sales';

/** Who is asking and where the app itself lives (the sandbox is under its origin). */
export interface AccountContext {
  db: Db;
  ownerId: string;
  appOrigin: string;
}

/** Non-secret settings kept in accounts.config_json. */
interface StoredConfig {
  clientId?: string;
  username?: string;
  sandbox?: boolean;
  refreshTokenObtainedAt?: string;
  clientSecretExpiresOn?: string;
}

const GENERATED_TOKENS = 'generated-tokens';

/** The connect form's input as account-config expects it, with sandbox, generated and stored values filled in. */
export async function resolveConfigInput(
  ctx: AccountContext,
  creds: ConnectCredentials,
  stored?: { account: Account; secrets: StoredSecrets },
): Promise<AccountConfigInput> {
  const input: Record<string, string | undefined> = {
    method: creds.method,
    serviceUrl: creds.serviceUrl,
    apiVersion: creds.apiVersion,
    identityEndpoint: creds.identityEndpoint,
  };
  for (const key of ['clientId', 'clientSecret', 'accessToken', 'refreshToken', 'username', 'password'] as const) {
    const value = (creds as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== SECRET_PLACEHOLDER) input[key] = value;
  }
  if (stored) {
    // Updating credentials: anything left empty keeps what is stored.
    const config = stored.account.config as StoredConfig;
    input.serviceUrl ??= stored.account.serviceUrl;
    input.apiVersion ??= stored.account.apiVersion;
    input.identityEndpoint ??= stored.account.identityEndpoint;
    input.clientId ??= config.clientId;
    input.username ??= config.username ?? stored.secrets.username;
    for (const key of SECRET_FIELDS) input[key] ??= stored.secrets[key];
  }
  if (creds.useSandbox) {
    if (!sandboxEnabled())
      throw new ApiError(400, 'sandbox_disabled', 'The built-in sandbox is turned off on this installation (SANDBOX=off).');
    input.serviceUrl = sandboxServiceUrl(ctx.appOrigin);
    input.identityEndpoint = sandboxIdentityEndpoint(ctx.appOrigin);
    input.clientId = SANDBOX_CREDENTIALS.clientId;
    input.clientSecret = SANDBOX_CREDENTIALS.clientSecret;
    if (creds.method === 'password') {
      input.username = SANDBOX_CREDENTIALS.username;
      input.password = SANDBOX_CREDENTIALS.password;
    }
    if (creds.method === 'basic_oauth') {
      const tokens = await generateTokensOrFail(ctx, {
        serviceUrl: input.serviceUrl,
        identityEndpoint: input.identityEndpoint,
        clientId: SANDBOX_CREDENTIALS.clientId,
        clientSecret: SANDBOX_CREDENTIALS.clientSecret,
        username: SANDBOX_CREDENTIALS.username,
        password: SANDBOX_CREDENTIALS.password,
      });
      input.accessToken = tokens.accessToken;
      input.refreshToken = tokens.refreshToken;
    }
  }
  if (creds.method === 'basic_oauth' && creds.generatedTokens) {
    const opened = unseal<TokenSet>(GENERATED_TOKENS, ctx.ownerId, creds.generatedTokens);
    if (!opened.ok)
      throw new ApiError(
        400,
        'generated_tokens_invalid',
        'The generated tokens expired or belong to another session. Generate them again.',
        { field: 'accessToken' },
      );
    input.accessToken = opened.data.accessToken;
    input.refreshToken = opened.data.refreshToken;
  }
  return input as AccountConfigInput;
}

/** Validates and normalises the configuration; a bad field answers 400 naming it. */
export function parseConfig(ctx: AccountContext, input: AccountConfigInput): AccountConfig {
  const parsed = accountConfigSchema({ allowedHosts: allowedHostsFor(ctx.appOrigin) }).safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path[0];
  throw new ApiError(
    400,
    'invalid_connection',
    issue?.message ?? 'The connection details are not valid.',
    typeof field === 'string' ? { field } : undefined,
  );
}

/** Token + WhoAmI before anything is saved; a failure is 422 with Microsoft's reason in plain words. */
export async function verifyOrFail(ctx: AccountContext, connection: AccountConnection): Promise<{ principal: string; tokens?: TokenSet }> {
  const result = await verifyConnection(connection, { allowedHosts: allowedHostsFor(ctx.appOrigin) });
  if (!result.ok) throw verificationFailed(result.error);
  return { principal: result.principal, ...(result.tokens ? { tokens: result.tokens } : {}) };
}

export async function generateTokensOrFail(ctx: AccountContext, input: Parameters<typeof generateTokens>[0]): Promise<TokenSet> {
  try {
    return await generateTokens(input, { allowedHosts: allowedHostsFor(ctx.appOrigin) });
  } catch (err) {
    if (err instanceof Error && 'explanation' in err) throw verificationFailed(err as unknown as Parameters<typeof verificationFailed>[0]);
    throw err;
  }
}

/** What is stored for a verified configuration: settings in config_json, secrets encrypted. */
export function storedFields(
  config: AccountConfig,
  verified: { principal: string; tokens?: TokenSet },
  previous?: StoredConfig,
  /** From the connect form: a date, '' to clear it, undefined to keep the previous one. */
  clientSecretExpiresOn?: string,
) {
  const expiresOn = clientSecretExpiresOn === undefined ? previous?.clientSecretExpiresOn : clientSecretExpiresOn || undefined;
  const secrets: StoredSecrets = {};
  for (const [key, value] of Object.entries(config.secrets)) if (typeof value === 'string' && value) secrets[key] = value;
  if (verified.tokens) {
    secrets.accessToken = verified.tokens.accessToken;
    secrets.accessTokenExpiresAt = verified.tokens.expiresAt;
    if (verified.tokens.refreshToken) secrets.refreshToken = verified.tokens.refreshToken;
  }
  const refreshChanged = secrets.refreshToken !== undefined;
  const storedConfig: StoredConfig = {
    ...(config.clientId ? { clientId: config.clientId } : {}),
    ...(config.secrets.username ? { username: config.secrets.username } : {}),
    ...(config.serviceKind === 'sandbox' ? { sandbox: true } : {}),
    ...(expiresOn && config.method !== 'auth_code' ? { clientSecretExpiresOn: expiresOn } : {}),
    ...(refreshChanged
      ? { refreshTokenObtainedAt: new Date().toISOString() }
      : previous?.refreshTokenObtainedAt
        ? { refreshTokenObtainedAt: previous.refreshTokenObtainedAt }
        : {}),
  };
  return {
    serviceUrl: config.serviceUrl,
    apiVersion: config.apiVersion,
    identityEndpoint: config.identityEndpoint,
    authMethod: config.method,
    config: storedConfig as Record<string, unknown>,
    secrets,
    status: 'connected' as const,
    statusReason: null,
    principal: verified.principal,
  };
}

/** Creates an account under a unique name ("Account N" when none is given). */
export async function saveNewAccount(
  ctx: AccountContext,
  name: string | undefined,
  fields: ReturnType<typeof storedFields>,
): Promise<Account> {
  const existing = await listAccounts(ctx.db, ctx.ownerId, { application: APPLICATION_ID });
  const finalName = name ?? nextDefaultAccountName(existing.map((a) => a.name));
  try {
    return await createAccount(ctx.db, ctx.ownerId, { application: APPLICATION_ID, name: finalName, ...fields });
  } catch (err) {
    if (err instanceof DuplicateError) throw nameTaken(finalName);
    throw err;
  }
}

export async function loadOwnAccount(ctx: AccountContext, id: string): Promise<{ account: Account; secrets: StoredSecrets }> {
  const account = await findAccount(ctx.db, ctx.ownerId, id);
  if (!account) throw new ApiError(404, 'not_found', 'The account was not found.');
  return { account, secrets: (await readAccountSecrets(ctx.db, ctx.ownerId, id)) ?? {} };
}

export async function renameAccount(ctx: AccountContext, id: string, name: string): Promise<Account> {
  try {
    const updated = await updateAccount(ctx.db, ctx.ownerId, id, { name });
    if (!updated) throw new ApiError(404, 'not_found', 'The account was not found.');
    return updated;
  } catch (err) {
    if (err instanceof DuplicateError) throw nameTaken(name);
    throw err;
  }
}

/** Removes an account unless a running flow uses it; stopped and draft flows are named in the UI. */
export async function removeAccount(ctx: AccountContext, id: string): Promise<Account> {
  const { account } = await loadOwnAccount(ctx, id);
  const running = (await flowsUsingAccounts(ctx.db, ctx.ownerId, [account.id])).get(account.id)?.filter((f) => f.status === 'active') ?? [];
  if (running.length > 0) {
    throw new ApiError(
      409,
      'account_in_use',
      `Stop these flows before removing ${account.name}: ${running.map((f) => f.name).join(', ')}.`,
      { flows: running },
    );
  }
  await deleteAccount(ctx.db, ctx.ownerId, account.id);
  return account;
}

const nameTaken = (name: string) =>
  conflict('name_taken', `Another Microsoft Dynamics 365 for Sales account is already called “${name}”. Choose a different name.`);

/** The account as the browser may see it: never a secret, only "•••• set". */
export function toAccountView(account: Account, secrets: StoredSecrets, flows: FlowRef[]): AccountView {
  const config = account.config as StoredConfig;
  const { health, reason } = accountHealth({
    status: account.status,
    statusReason: account.statusReason,
    method: account.authMethod,
    refreshTokenObtainedAt: config.refreshTokenObtainedAt ?? null,
    clientSecretExpiresOn: config.clientSecretExpiresOn ?? null,
  });
  return {
    id: account.id,
    application: account.application,
    name: account.name,
    serviceUrl: account.serviceUrl,
    apiVersion: account.apiVersion,
    identityEndpoint: account.identityEndpoint,
    method: account.authMethod,
    clientId: config.clientId ?? null,
    username: config.username ?? null,
    clientSecretExpiresOn: config.clientSecretExpiresOn ?? null,
    principal: account.principal,
    health,
    healthReason: reason,
    secrets: Object.fromEntries(SECRET_FIELDS.map((f) => [f, secrets[f] ? SECRET_PLACEHOLDER : null])),
    isSandbox: config.sandbox === true,
    flows,
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
}

/** The secret of the installation's own app registration, for accounts signed in through it. */
export function installationSecretFor(clientId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return clientId && clientId === env.DYNAMICS_OAUTH_CLIENT_ID ? env.DYNAMICS_OAUTH_CLIENT_SECRET || undefined : undefined;
}

/** The stored account as the client's connection (server-side only). */
export function storedConnection(account: Account, secrets: StoredSecrets): AccountConnection {
  const config = account.config as StoredConfig;
  const clientSecret =
    secrets.clientSecret ?? (account.authMethod === 'auth_code' ? installationSecretFor(config.clientId ?? '') : undefined);
  return {
    id: account.id,
    serviceUrl: account.serviceUrl,
    apiVersion: account.apiVersion as AccountConnection['apiVersion'],
    identityEndpoint: account.identityEndpoint,
    method: account.authMethod,
    clientId: config.clientId ?? '',
    secrets: {
      ...(clientSecret ? { clientSecret } : {}),
      ...(secrets.username ? { username: secrets.username } : {}),
      ...(secrets.password ? { password: secrets.password } : {}),
      ...(secrets.accessToken ? { accessToken: secrets.accessToken } : {}),
      ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : {}),
      ...(secrets.accessTokenExpiresAt ? { accessTokenExpiresAt: secrets.accessTokenExpiresAt } : {}),
    },
  };
}

export { GENERATED_TOKENS };
