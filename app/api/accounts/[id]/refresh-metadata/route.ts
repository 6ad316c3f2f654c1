import { apiRoute } from '@/lib/server/api-route';
import { getClientForAccount } from '@/lib/dynamics/accounts/account-client';
import { accountIdParamsSchema } from '@/lib/dynamics/accounts/connect-schema';
import { metadataCache } from '@/lib/dynamics/metadata';
import { isDataverseError } from '@/lib/dynamics/client/errors/dataverse-error';
import { ApiError } from '@/lib/server/api-error';

export const dynamic = 'force-dynamic';

/** Forgets the cached tables and columns of the account and reads them again. */
export const POST = apiRoute({ auth: true, params: accountIdParamsSchema }, async ({ db, user, params }) => {
  const client = await getClientForAccount(db, user.id, params.id);
  await metadataCache.invalidate(params.id);
  try {
    const { tables } = await metadataCache.tables(client, { refresh: true });
    return { tables: tables.length };
  } catch (err) {
    if (isDataverseError(err)) throw new ApiError(502, 'dynamics_error', `Dynamics answered: ${err.explanation}`);
    throw err;
  }
});
