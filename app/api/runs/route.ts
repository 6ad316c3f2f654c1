import { listRunsQuerySchema } from '@/lib/flows/service/flow-requests';
import { listRuns } from '@/lib/flows/service/list-runs';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** The caller's runs, newest first: filters flowId, status, mode, from/to; `cursor` is the last id of the previous page. */
export const GET = apiRoute({ auth: true, query: listRunsQuerySchema }, async ({ db, user, query }) =>
  listRuns({ db, ownerId: user.id }, query),
);
