import { generateSealedTokens } from '@/lib/dynamics/accounts/account-service';
import { generateTokensSchema } from '@/lib/dynamics/accounts/connect-requests';
import { accountContext } from '@/lib/server/account-context';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** The "Generate tokens" helper for Basic OAuth: the browser gets the tokens sealed, to hand back when connecting. */
export const POST = apiRoute({ auth: true, body: generateTokensSchema }, async ({ req, db, user, body, signal }) =>
  generateSealedTokens(accountContext(req, db, user.id), body, signal),
);
