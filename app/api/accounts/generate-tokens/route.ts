import { apiRoute } from '@/lib/server/api-route';
import { GENERATED_TOKENS, generateTokensOrFail } from '@/lib/dynamics/accounts/account-service';
import { generateTokensSchema } from '@/lib/dynamics/accounts/connect-schema';
import { accountContext } from '@/lib/dynamics/accounts/request-context';
import { seal } from '@/lib/dynamics/accounts/sealed';

export const dynamic = 'force-dynamic';

/** Tokens stay on the server's side: the browser gets them sealed, to hand back when connecting. */
const SEALED_FOR_SECONDS = 15 * 60;

/** The "Generate tokens" helper for Basic OAuth: one password grant, so nobody needs Postman. */
export const POST = apiRoute({ auth: true, body: generateTokensSchema }, async ({ req, db, user, body }) => {
  const ctx = accountContext(req, db, user.id);
  const tokens = await generateTokensOrFail(ctx, body);
  if (!tokens.refreshToken) {
    return Response.json(
      {
        error: {
          code: 'no_refresh_token',
          message: 'Microsoft issued no refresh token. Add the offline_access permission to the app registration.',
        },
      },
      { status: 422 },
    );
  }
  return { grant: seal(GENERATED_TOKENS, user.id, SEALED_FOR_SECONDS, tokens), expiresAt: tokens.expiresAt };
});
