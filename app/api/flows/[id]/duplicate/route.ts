import { duplicateFlow } from '@/lib/flows/service/duplicate-flow';
import { flowIdParamsSchema } from '@/lib/flows/service/flow-requests';
import { apiRoute, created } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** A new draft named "<name> (copy)" with the current draft's document: 201 `{ flowId }`. */
export const POST = apiRoute({ auth: true, params: flowIdParamsSchema }, async ({ db, user, params }) =>
  created(await duplicateFlow({ db, ownerId: user.id }, params.id)),
);
