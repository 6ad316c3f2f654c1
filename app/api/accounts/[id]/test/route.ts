import { testAccount } from '@/lib/dynamics/accounts/account-service';
import { accountIdParamsSchema } from '@/lib/dynamics/accounts/connect-requests';
import { accountContext } from '@/lib/server/account-context';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** Signs in with the stored credentials and calls WhoAmI; the account's status follows the answer. */
export const POST = apiRoute({ auth: true, params: accountIdParamsSchema }, async ({ req, db, user, params, signal }) =>
  testAccount(accountContext(req, db, user.id), params.id, signal),
);
