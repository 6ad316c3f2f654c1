/**
 * The Catalog's use cases for Dynamics accounts, whole: connect, update credentials, test, refresh
 * metadata, generate tokens, list, rename, remove, forget. Routes parse, call one of these and
 * answer; failures are domain errors (lib/errors), which only lib/server turns into HTTP.
 */
import { DuplicateError } from '@/lib/db/errors';
import {
  createAccount,
  deleteAccount,
  listAccounts,
  readAccountSecrets,
  updateAccount,
  type Account,
} from '@/lib/db/repositories/accounts';
import { flowsUsingAccounts } from '@/lib/db/repositories/flows-using-accounts';
import { conflict, invalid, notFound, upstream, unprocessable } from '@/lib/errors/domain-error';
import { isDataverseError } from '../client/errors/dataverse-error';
import { forgetAccountThrottle } from '../client/throttle/account-registry';
import { forgetTokenProvider } from '../client/tokens/token-provider';
import type { AccountConnection, AuthMethod, TokenSet } from '../client/types';
import { checkConnection, toAccountConnection, type ConnectionConfig } from '../connector/auth/connection-config';
import { authMethod } from '../connector/auth/connection-methods';
import { checkFields } from '../connector/auth/define-connection';
import { CONNECTOR_ID } from '../connector/ids';
import { metadataCache } from '../metadata/metadata-cache';
import { getClientForAccount } from './account-client';
import type { AccountContext } from './account-context';
import { accountForgotten } from './account-forgotten';
import { loadOwnAccount } from './own-account';
import { dbAccountStatePort } from './account-state-port';
import type { AccountView } from './account-view';
import type { ConnectCredentials, CreateAccountRequest, GenerateTokensRequest } from './connect-requests';
import { allowedHostsFor } from './connection-options';
import { nextDefaultAccountName } from './default-name';
import { resolveValues } from './resolve-values';
import {
  sandboxConnectionValues,
  sandboxEnabled,
  sandboxIdentityEndpoint,
  sandboxOrganizationInfo,
  sandboxOrganizationOf,
  type SandboxOrganization,
} from './sandbox-defaults';
import { ownSandboxAuthority, withOwnSandbox } from './own-sandbox';
import { sandboxTenantFor } from './sandbox-tenant';
import { sandboxSecrets } from './sandbox-secrets';
import { seal, unseal } from './sealed';
import { generateTokens } from './connect/generate-tokens';
import { verifyConnection } from './connect/verify-connection';
import { storedFields, storedValues, storedConnection, toAccountView } from './stored-account';
import { verificationFailed } from './verification-error';

/** Accounts are stored under the connector's own id, so catalog, flows and accounts agree on one name. */
export const APPLICATION_ID = CONNECTOR_ID;

export { loadOwnAccount };

export type { AccountContext };

const GENERATED_TOKENS = 'generated-tokens';
/** Generated tokens stay on the server's side: the browser holds them sealed, to hand back when connecting. */
const SEALED_FOR_SECONDS = 15 * 60;

// `signal` is the request's: a browser that gives up on a connect stops its sign-in and WhoAmI retries.
const options = (ctx: AccountContext, signal?: AbortSignal) => ({
  allowedHosts: allowedHostsFor(ctx.appOrigin),
  ...(signal ? { signal } : {}),
});

// ---------------------------------------------------------------------------------------------
// Steps shared by the use cases

/** The values of a request checked against its method; a bad field is `invalid`, naming it. */
export async function resolveConnection(
  ctx: AccountContext,
  creds:
    | ConnectCredentials
    | (Record<string, unknown> & { method: AuthMethod; useSandbox?: boolean; sandboxOrganization?: SandboxOrganization }),
  stored?: Record<string, string>,
  signal?: AbortSignal,
): Promise<ConnectionConfig> {
  const typed = creds as Record<string, unknown>;
  let sandbox: Record<string, string> | undefined;
  let tokens: TokenSet | undefined;
  if (creds.useSandbox) {
    if (!sandboxEnabled()) throw invalid('sandbox_disabled', 'The built-in sandbox is turned off on this installation (SANDBOX=off).');
    // The chosen organization's own values: each has its own URL, app registration and user.
    const organization = creds.sandboxOrganization ?? 'first';
    sandbox = {
      ...sandboxConnectionValues(ctx.appOrigin, { tenant: sandboxTenantFor(ctx.ownerId), organization }),
      ...sandboxSecrets(organization),
    };
    if (authMethod(creds.method).canGenerateTokens) tokens = await obtainTokens(ctx, sandbox, signal);
  }
  if (typeof typed.generatedTokens === 'string') {
    const opened = unseal<TokenSet>(GENERATED_TOKENS, ctx.ownerId, typed.generatedTokens);
    if (!opened.ok) {
      throw invalid('generated_tokens_invalid', 'The generated tokens expired or belong to another session. Generate them again.', {
        field: 'accessToken',
      });
    }
    tokens = opened.data;
  }
  const values = resolveValues({
    method: creds.method,
    typed,
    ...(stored ? { stored } : {}),
    ...(sandbox ? { sandbox } : {}),
    ...(tokens ? { tokens } : {}),
  });
  const checked = checkConnection(creds.method, values, options(ctx));
  if (checked.ok) return ownSandboxTenant(ctx, checked.config);
  const issue = checked.issues[0];
  throw invalid(
    'invalid_connection',
    issue?.message ?? 'The connection details are not valid.',
    issue ? { field: issue.field } : undefined,
  );
}

/**
 * The built-in sandbox's `organizations`/`common` authority means the user's own sandbox
 * organization: each user has one, selected by their tenant (sandbox-tenant.ts), so no user sees
 * or changes another's sandbox data.
 */
function ownSandboxTenant(ctx: AccountContext, config: ConnectionConfig): ConnectionConfig {
  const identityEndpoint = ownSandboxAuthority(ctx, config.identityEndpoint);
  return identityEndpoint === config.identityEndpoint ? config : { ...config, identityEndpoint };
}

/** Token + WhoAmI before anything is saved; a refusal is `unprocessable` with Microsoft's reason in plain words. */
export async function verifyOrFail(
  ctx: AccountContext,
  connection: AccountConnection,
  signal?: AbortSignal,
): Promise<{ principal: string; tokens?: TokenSet }> {
  const result = await verifyConnection(connection, options(ctx, signal));
  if (!result.ok) throw verificationFailed(connection.method, result.error);
  return { principal: result.principal, ...(result.tokens ? { tokens: result.tokens } : {}) };
}

/** One password grant with the password method's values ("Generate tokens", and the sandbox's Basic OAuth). */
async function obtainTokens(ctx: AccountContext, values: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<TokenSet> {
  const given = Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const checked = checkFields(authMethod('password'), given);
  if (!checked.ok) {
    const issue = checked.issues[0];
    throw invalid('invalid_connection', issue?.message ?? 'The sign-in details are not valid.', issue ? { field: issue.field } : undefined);
  }
  const v = checked.values;
  // A sandbox organization's service URL without an authority signs in at that organization's own.
  const sandbox = sandboxOrganizationOf(ctx.appOrigin, v.serviceUrl);
  try {
    return await generateTokens(
      {
        serviceUrl: v.serviceUrl ?? '',
        ...(v.identityEndpoint || sandbox
          ? {
              identityEndpoint: ownSandboxAuthority(
                ctx,
                v.identityEndpoint ?? sandboxIdentityEndpoint(ctx.appOrigin, 'organizations', sandbox ?? 'first'),
              ),
            }
          : {}),
        clientId: v.clientId ?? '',
        clientSecret: v.clientSecret ?? '',
        username: v.username ?? '',
        password: v.password ?? '',
      },
      options(ctx, signal),
    );
  } catch (err) {
    if (isDataverseError(err)) throw verificationFailed('password', err);
    throw err;
  }
}

/**
 * Creates an account under a unique name. When none is given: "Account N", or for the sandbox's
 * second organization "Fabrikam sandbox N", so its accounts are told apart from the first's at a
 * glance (in the catalog and in a step's account picker).
 */
export async function saveNewAccount(
  ctx: AccountContext,
  name: string | undefined,
  fields: ReturnType<typeof storedFields>,
): Promise<Account> {
  const existing = await listAccounts(ctx.db, ctx.ownerId, { application: APPLICATION_ID });
  const organization = sandboxOrganizationOf(ctx.appOrigin, fields.serviceUrl);
  const base = sandboxOrganizationInfo(organization ?? 'first').defaultNameBase;
  const finalName =
    name ??
    nextDefaultAccountName(
      existing.map((a) => a.name),
      base,
    );
  try {
    return await createAccount(ctx.db, ctx.ownerId, { application: APPLICATION_ID, name: finalName, ...fields });
  } catch (err) {
    if (err instanceof DuplicateError) throw nameTaken(finalName);
    throw err;
  }
}

const nameTaken = (name: string) =>
  conflict('name_taken', `Another Microsoft Dynamics 365 for Sales account is already called “${name}”. Choose a different name.`);

const signInInstead = (message: string) => invalid('use_sign_in', message);

async function viewOf(ctx: AccountContext, account: Account): Promise<AccountView> {
  const flows = await flowsUsingAccounts(ctx.db, ctx.ownerId, [account.id]);
  return toAccountView(account, (await readAccountSecrets(ctx.db, ctx.ownerId, account.id)) ?? {}, flows.get(account.id) ?? []);
}

/**
 * Forgets everything the process holds about an account — its token provider, its throttle, its
 * cached metadata, and what layers above keep (`onAccountForgotten`: the steps' cached clients) —
 * after its credentials change, it is reconnected or it is removed.
 */
export async function forgetAccount(accountId: string): Promise<void> {
  forgetTokenProvider(accountId);
  forgetAccountThrottle(accountId);
  accountForgotten(accountId);
  await metadataCache.invalidate(accountId);
}

// ---------------------------------------------------------------------------------------------
// Use cases

export async function listAccountViews(ctx: AccountContext): Promise<AccountView[]> {
  const accounts = await listAccounts(ctx.db, ctx.ownerId);
  const flows = await flowsUsingAccounts(
    ctx.db,
    ctx.ownerId,
    accounts.map((a) => a.id),
  );
  return Promise.all(
    accounts.map(async (a) => toAccountView(a, (await readAccountSecrets(ctx.db, ctx.ownerId, a.id)) ?? {}, flows.get(a.id) ?? [])),
  );
}

export async function getAccountView(ctx: AccountContext, id: string): Promise<AccountView> {
  return viewOf(ctx, (await loadOwnAccount(ctx, id)).account);
}

/** Connects an account: checks the values, signs in and calls WhoAmI, and only then saves it. */
export async function connectAccount(ctx: AccountContext, request: CreateAccountRequest, signal?: AbortSignal): Promise<AccountView> {
  if (authMethod(request.method).signIn === 'redirect') {
    throw signInInstead('Accounts that sign in with Microsoft are connected through POST /api/accounts/oauth/start.');
  }
  const config = await resolveConnection(ctx, request, undefined, signal);
  const verified = await verifyOrFail(ctx, toAccountConnection('new', config), signal);
  const account = await saveNewAccount(ctx, request.name, storedFields(config, verified));
  return viewOf(ctx, account);
}

/** Replaces an account's credentials after verifying them; empty secret fields keep the stored ones. */
export async function updateCredentials(
  ctx: AccountContext,
  id: string,
  creds: ConnectCredentials,
  signal?: AbortSignal,
): Promise<AccountView> {
  const { account, secrets } = await loadOwnAccount(ctx, id);
  if (authMethod(creds.method).signIn === 'redirect') {
    throw signInInstead('Sign in again through POST /api/accounts/oauth/start with this accountId.');
  }
  // Switching methods starts from a clean slate: only same-method secrets carry over.
  const stored = storedValues(account, creds.method === account.authMethod ? secrets : {});
  const config = await resolveConnection(ctx, creds, stored, signal);
  const verified = await verifyOrFail(ctx, toAccountConnection(id, config), signal);
  const updated = await updateAccount(ctx.db, ctx.ownerId, id, storedFields(config, verified, account.config));
  if (!updated) throw notFound('The account');
  await forgetAccount(id);
  return viewOf(ctx, updated);
}

/** Renames an account (flows refer to the id, so they keep working). */
export async function renameAccount(ctx: AccountContext, id: string, name: string): Promise<AccountView> {
  try {
    const updated = await updateAccount(ctx.db, ctx.ownerId, id, { name });
    if (!updated) throw notFound('The account');
    return viewOf(ctx, updated);
  } catch (err) {
    if (err instanceof DuplicateError) throw nameTaken(name);
    throw err;
  }
}

/** Signs in with the stored credentials and calls WhoAmI; the account's status follows the answer. */
export async function testAccount(ctx: AccountContext, id: string, signal?: AbortSignal): Promise<{ ok: boolean; message: string }> {
  const { account, secrets } = await loadOwnAccount(ctx, id);
  const result = await verifyConnection(withOwnSandbox(ctx, storedConnection(account, secrets)), options(ctx, signal));
  if (result.ok) {
    if (result.tokens) await dbAccountStatePort(ctx.db, ctx.ownerId).saveTokens(account.id, result.tokens);
    await updateAccount(ctx.db, ctx.ownerId, account.id, { status: 'connected', statusReason: null, principal: result.principal });
    return { ok: true, message: `The connection works: signed in as ${result.principal}.` };
  }
  const reconnect = result.needsReconnect || result.error.status === 401 || result.error.code.startsWith('invalid_');
  if (reconnect)
    await updateAccount(ctx.db, ctx.ownerId, account.id, { status: 'needs_reconnect', statusReason: result.error.explanation });
  return { ok: false, message: `The connection failed: ${result.error.explanation}` };
}

/** Forgets the cached tables and columns of the account and reads them again. */
export async function refreshMetadata(ctx: AccountContext, id: string): Promise<{ tables: number }> {
  const client = await getClientForAccount(ctx.db, ctx.ownerId, id);
  await metadataCache.invalidate(id);
  try {
    const { tables } = await metadataCache.tables(client, { refresh: true });
    return { tables: tables.length };
  } catch (err) {
    if (isDataverseError(err)) throw upstream('dynamics_error', `Dynamics answered: ${err.explanation}`);
    throw err;
  }
}

/** The "Generate tokens" helper for Basic OAuth: one password grant, so nobody needs Postman; the tokens come back sealed. */
export async function generateSealedTokens(
  ctx: AccountContext,
  request: GenerateTokensRequest,
  signal?: AbortSignal,
): Promise<{ grant: string; expiresAt: string }> {
  const tokens = await obtainTokens(ctx, request, signal);
  if (!tokens.refreshToken) {
    throw unprocessable(
      'no_refresh_token',
      'Microsoft issued no refresh token. Add the offline_access permission to the app registration.',
    );
  }
  return { grant: seal(GENERATED_TOKENS, ctx.ownerId, SEALED_FOR_SECONDS, tokens), expiresAt: tokens.expiresAt };
}

/** Removes an account unless a running flow uses it; stopped and draft flows are named in the UI. */
export async function removeAccount(ctx: AccountContext, id: string): Promise<Account> {
  const { account } = await loadOwnAccount(ctx, id);
  const running = (await flowsUsingAccounts(ctx.db, ctx.ownerId, [account.id])).get(account.id)?.filter((f) => f.status === 'active') ?? [];
  if (running.length > 0) {
    throw conflict('account_in_use', `Stop these flows before removing ${account.name}: ${running.map((f) => f.name).join(', ')}.`, {
      flows: running,
    });
  }
  await deleteAccount(ctx.db, ctx.ownerId, account.id);
  await forgetAccount(account.id);
  return account;
}
