import { apiRoute, created } from '@/lib/server/api-route';
import { createApiTokenSchema } from '@/lib/sign-in/api-token-schema';
import { generateApiToken } from '@/lib/sign-in/api-token';
import { createApiToken, listApiTokens, type ApiTokenRow } from '@/lib/db/repositories/api-tokens';

export const dynamic = 'force-dynamic';

const publicView = ({ ownerId: _ownerId, revokedAt: _revokedAt, ...rest }: ApiTokenRow) => rest;

/** Active tokens only: a revoked token is gone for good and only clutters the list. */
export const GET = apiRoute({ auth: true }, async ({ db, user }) => ({
  tokens: (await listApiTokens(db, user.id)).filter((t) => !t.revokedAt).map(publicView),
}));

/** The raw token is returned once, here, and never again: only its hash is stored. */
export const POST = apiRoute({ auth: true, body: createApiTokenSchema }, async ({ db, user, body }) => {
  const { token, prefix, tokenHash } = generateApiToken();
  const expiresAt = body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000).toISOString() : null;
  const row = await createApiToken(db, user.id, { name: body.name, tokenHash, prefix, expiresAt });
  return created({ token: publicView(row), secret: token });
});
