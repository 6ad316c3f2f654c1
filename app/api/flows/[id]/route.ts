import { deleteFlow } from '@/lib/flows/service/delete-flow';
import { flowIdParamsSchema, saveFlowSchema } from '@/lib/flows/service/flow-requests';
import { getFlow } from '@/lib/flows/service/get-flow';
import { saveFlow } from '@/lib/flows/service/save-flow';
import { apiRoute, noContent } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** The flow with its current document and the problems validation finds in it. */
export const GET = apiRoute({ auth: true, params: flowIdParamsSchema }, async ({ db, user, params, signal }) => ({
  flow: await getFlow({ db, ownerId: user.id, signal }, params.id),
}));

/** Saves a new version on top of `baseVersion` (409 `version_conflict` when someone saved in between). */
export const PUT = apiRoute(
  { auth: true, params: flowIdParamsSchema, body: saveFlowSchema },
  async ({ db, user, params, body, signal }) => ({
    flow: await saveFlow({ db, ownerId: user.id, signal }, params.id, body),
  }),
);

/** Deletes the flow with its versions and runs; a started flow is stopped first. */
export const DELETE = apiRoute({ auth: true, params: flowIdParamsSchema }, async ({ db, user, params }) => {
  await deleteFlow({ db, ownerId: user.id }, params.id);
  return noContent();
});
