import { getAccountView, removeAccount, renameAccount, updateCredentials } from '@/lib/dynamics/accounts/account-service';
import { accountIdParamsSchema, updateAccountSchema } from '@/lib/dynamics/accounts/connect-requests';
import { accountContext } from '@/lib/server/account-context';
import { apiRoute, noContent } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ auth: true, params: accountIdParamsSchema }, async ({ req, db, user, params }) => ({
  account: await getAccountView(accountContext(req, db, user.id), params.id),
}));

/** Renames (flows refer to the id, so they keep working) or replaces the credentials after verifying them. */
export const PATCH = apiRoute(
  { auth: true, params: accountIdParamsSchema, body: updateAccountSchema },
  async ({ req, db, user, params, body, signal }) => {
    const ctx = accountContext(req, db, user.id);
    const account =
      'name' in body ? await renameAccount(ctx, params.id, body.name) : await updateCredentials(ctx, params.id, body.credentials, signal);
    return { account };
  },
);

/** Removes an account unless a running flow uses it. */
export const DELETE = apiRoute({ auth: true, params: accountIdParamsSchema }, async ({ req, db, user, params }) => {
  await removeAccount(accountContext(req, db, user.id), params.id);
  return noContent();
});
