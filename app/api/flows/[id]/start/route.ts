import { flowIdParamsSchema } from '@/lib/flows/service/flow-requests';
import { startFlow } from '@/lib/flows/service/start-flow';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** Publishes the draft and starts the flow (422 `flow_invalid` with the problems); an API flow's first key is returned once. */
export const POST = apiRoute({ auth: true, params: flowIdParamsSchema }, async ({ db, user, params, signal }) =>
  startFlow({ db, ownerId: user.id, signal }, params.id),
);
