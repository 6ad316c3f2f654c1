import { flowIdParamsSchema } from '@/lib/flows/service/flow-requests';
import { rotateInvokeKey } from '@/lib/flows/service/rotate-invoke-key';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** Replaces the API trigger's key; the new key is in this answer only. */
export const POST = apiRoute({ auth: true, params: flowIdParamsSchema }, async ({ db, user, params }) =>
  rotateInvokeKey({ db, ownerId: user.id }, params.id),
);
