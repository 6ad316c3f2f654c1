import { connectAccount, listAccountViews } from '@/lib/dynamics/accounts/account-service';
import { createAccountSchema } from '@/lib/dynamics/accounts/connect-requests';
import { accountContext } from '@/lib/server/account-context';
import { apiRoute, created } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ auth: true }, async ({ req, db, user }) => ({
  accounts: await listAccountViews(accountContext(req, db, user.id)),
}));

/** Connects an account: validates, signs in and calls WhoAmI, and only then saves it. */
export const POST = apiRoute({ auth: true, body: createAccountSchema }, async ({ req, db, user, body, signal }) =>
  created({ account: await connectAccount(accountContext(req, db, user.id), body, signal) }),
);
