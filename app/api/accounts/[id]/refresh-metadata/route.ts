import { refreshMetadata } from '@/lib/dynamics/accounts/account-service';
import { accountIdParamsSchema } from '@/lib/dynamics/accounts/connect-requests';
import { accountContext } from '@/lib/server/account-context';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** Forgets the cached tables and columns of the account and reads them again. */
export const POST = apiRoute({ auth: true, params: accountIdParamsSchema }, async ({ req, db, user, params }) =>
  refreshMetadata(accountContext(req, db, user.id), params.id),
);
