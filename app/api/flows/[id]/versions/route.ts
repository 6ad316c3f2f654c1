import { flowIdParamsSchema } from '@/lib/flows/service/flow-requests';
import { listFlowVersions } from '@/lib/flows/service/flow-versions';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** Every saved version, newest first, with which one is published. */
export const GET = apiRoute({ auth: true, params: flowIdParamsSchema }, async ({ db, user, params }) => ({
  versions: await listFlowVersions({ db, ownerId: user.id }, params.id),
}));
