import { toAccountConnection } from '@/lib/dynamics/account-config';
import { apiRoute, noContent } from '@/lib/server/api-route';
import { readAccountSecrets, updateAccount } from '@/lib/db/repositories/accounts';
import {
  loadOwnAccount,
  parseConfig,
  removeAccount,
  renameAccount,
  resolveConfigInput,
  storedFields,
  toAccountView,
  verifyOrFail,
} from '@/lib/dynamics/accounts/account-service';
import { accountIdParamsSchema, updateAccountSchema } from '@/lib/dynamics/accounts/connect-schema';
import { flowsUsingAccounts } from '@/lib/db/repositories/flows-using-accounts';
import { accountContext } from '@/lib/dynamics/accounts/request-context';
import { forgetTokenProvider } from '@/lib/dynamics/client/tokens/token-provider';
import { forgetAccountThrottle } from '@/lib/dynamics/client/throttle/account-registry';
import { metadataCache } from '@/lib/dynamics/metadata';
import { ApiError, notFound } from '@/lib/server/api-error';

export const dynamic = 'force-dynamic';

async function view(
  db: Parameters<typeof flowsUsingAccounts>[0],
  ownerId: string,
  account: Awaited<ReturnType<typeof loadOwnAccount>>['account'],
) {
  const flows = await flowsUsingAccounts(db, ownerId, [account.id]);
  return toAccountView(account, (await readAccountSecrets(db, ownerId, account.id)) ?? {}, flows.get(account.id) ?? []);
}

export const GET = apiRoute({ auth: true, params: accountIdParamsSchema }, async ({ req, db, user, params }) => {
  const { account } = await loadOwnAccount(accountContext(req, db, user.id), params.id);
  return { account: await view(db, user.id, account) };
});

/** Renames (flows refer to the id, so they keep working) or replaces the credentials after verifying them. */
export const PATCH = apiRoute(
  { auth: true, params: accountIdParamsSchema, body: updateAccountSchema },
  async ({ req, db, user, params, body }) => {
    const ctx = accountContext(req, db, user.id);
    if ('name' in body) return { account: await view(db, user.id, await renameAccount(ctx, params.id, body.name)) };

    const stored = await loadOwnAccount(ctx, params.id);
    if (body.credentials.method === 'auth_code') {
      throw new ApiError(400, 'use_sign_in', 'Sign in again through POST /api/accounts/oauth/start with this accountId.');
    }
    // Switching methods starts from a clean slate: only same-method secrets carry over.
    const carry = body.credentials.method === stored.account.authMethod ? stored : { ...stored, secrets: {} };
    const config = parseConfig(ctx, await resolveConfigInput(ctx, body.credentials, carry));
    const verified = await verifyOrFail(ctx, toAccountConnection(params.id, config));
    const expiresOn = 'clientSecretExpiresOn' in body.credentials ? body.credentials.clientSecretExpiresOn : undefined;
    const updated = await updateAccount(db, user.id, params.id, storedFields(config, verified, stored.account.config, expiresOn));
    if (!updated) throw notFound('The account');
    forgetTokenProvider(params.id);
    await metadataCache.invalidate(params.id);
    return { account: await view(db, user.id, updated) };
  },
);

/** Removes an account unless a running flow uses it. */
export const DELETE = apiRoute({ auth: true, params: accountIdParamsSchema }, async ({ req, db, user, params }) => {
  const account = await removeAccount(accountContext(req, db, user.id), params.id);
  forgetTokenProvider(account.id);
  forgetAccountThrottle(account.id);
  await metadataCache.invalidate(account.id);
  return noContent();
});
