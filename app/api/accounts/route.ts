import { toAccountConnection } from '@/lib/dynamics/account-config';
import { apiRoute, created } from '@/lib/server/api-route';
import { listAccounts, readAccountSecrets } from '@/lib/db/repositories/accounts';
import {
  parseConfig,
  resolveConfigInput,
  saveNewAccount,
  storedFields,
  toAccountView,
  verifyOrFail,
} from '@/lib/dynamics/accounts/account-service';
import { createAccountSchema } from '@/lib/dynamics/accounts/connect-schema';
import { flowsUsingAccounts } from '@/lib/db/repositories/flows-using-accounts';
import { accountContext } from '@/lib/dynamics/accounts/request-context';
import { ApiError } from '@/lib/server/api-error';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ auth: true }, async ({ db, user }) => {
  const accounts = await listAccounts(db, user.id);
  const flows = await flowsUsingAccounts(
    db,
    user.id,
    accounts.map((a) => a.id),
  );
  const views = await Promise.all(
    accounts.map(async (a) => toAccountView(a, (await readAccountSecrets(db, user.id, a.id)) ?? {}, flows.get(a.id) ?? [])),
  );
  return { accounts: views };
});

/** Connects an account: validates, signs in and calls WhoAmI, and only then saves it. */
export const POST = apiRoute({ auth: true, body: createAccountSchema }, async ({ req, db, user, body }) => {
  if (body.method === 'auth_code') {
    throw new ApiError(400, 'use_sign_in', 'Accounts that sign in with Microsoft are connected through POST /api/accounts/oauth/start.');
  }
  const ctx = accountContext(req, db, user.id);
  const config = parseConfig(ctx, await resolveConfigInput(ctx, body));
  const verified = await verifyOrFail(ctx, toAccountConnection('new', config));
  const expiresOn = 'clientSecretExpiresOn' in body ? body.clientSecretExpiresOn : undefined;
  const account = await saveNewAccount(ctx, body.name, storedFields(config, verified, undefined, expiresOn));
  return created({ account: toAccountView(account, (await readAccountSecrets(db, user.id, account.id)) ?? {}, []) });
});
