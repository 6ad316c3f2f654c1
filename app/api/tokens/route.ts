import { apiRoute, created } from '@/lib/server/api-route';
import { createApiTokenSchema } from '@/lib/sign-in/api-token-schema';
import { generateApiToken } from '@/lib/sign-in/api-token';
import { newTokenLifetime } from '@/lib/sign-in/api-token-expiry';
import { createApiToken, listApiTokens, type ApiTokenRow } from '@/lib/db/repositories/api-tokens';

export const dynamic = 'force-dynamic';

const publicView = ({ ownerId: _ownerId, revokedAt: _revokedAt, parentTokenId: _parentTokenId, ...rest }: ApiTokenRow) => rest;

/** Active tokens only: a revoked token is gone for good and only clutters the list. */
export const GET = apiRoute({ auth: true }, async ({ db, user }) => ({
  tokens: (await listApiTokens(db, user.id)).filter((t) => !t.revokedAt).map(publicView),
}));

/**
 * The raw token is returned once, here, and never again: only its hash is stored. It expires, and
 * one minted with a bearer token ends no later than that token and is revoked with it.
 */
export const POST = apiRoute({ auth: true, body: createApiTokenSchema }, async ({ db, user, body }) => {
  const { token, prefix, tokenHash } = generateApiToken();
  const { expiresAt, parentTokenId } = newTokenLifetime(body.expiresInDays, user.credential);
  const row = await createApiToken(db, user.id, { name: body.name, tokenHash, prefix, expiresAt, parentTokenId });
  return created({ token: publicView(row), secret: token });
});
