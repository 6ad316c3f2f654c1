import { apiRoute, noContent } from '@/lib/server/api-route';
import { notFound } from '@/lib/server/api-error';
import { idParamsSchema } from '@/lib/sign-in/api-token-schema';
import { revokeApiToken } from '@/lib/db/repositories/api-tokens';

export const dynamic = 'force-dynamic';

export const DELETE = apiRoute({ auth: true, params: idParamsSchema }, async ({ db, user, params }) => {
  if (!(await revokeApiToken(db, user.id, params.id))) throw notFound('The API token');
  return noContent();
});
