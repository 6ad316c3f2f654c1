import { flowIdParamsSchema } from '@/lib/flows/service/flow-requests';
import { stopFlow } from '@/lib/flows/service/stop-flow';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** Stops the triggers; runs already queued still finish. */
export const POST = apiRoute({ auth: true, params: flowIdParamsSchema }, async ({ db, user, params, signal }) => ({
  flow: await stopFlow({ db, ownerId: user.id, signal }, params.id),
}));
