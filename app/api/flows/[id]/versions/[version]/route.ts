import { flowVersionParamsSchema } from '@/lib/flows/service/flow-requests';
import { getFlowVersion } from '@/lib/flows/service/flow-versions';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** One saved version's document (old versions stay readable). */
export const GET = apiRoute({ auth: true, params: flowVersionParamsSchema }, async ({ db, user, params }) => ({
  version: await getFlowVersion({ db, ownerId: user.id }, params.id, params.version),
}));
