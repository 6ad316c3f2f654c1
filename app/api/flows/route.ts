import { createFlow } from '@/lib/flows/service/create-flow';
import { createFlowSchema, listFlowsQuerySchema } from '@/lib/flows/service/flow-requests';
import { listFlows } from '@/lib/flows/service/list-flows';
import { apiRoute, created } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/**
 * The caller's flows as the dashboard shows them (state, trigger, accounts, newest run, runs per hour
 * over 24 hours): `q` searches names, `sort` name/created/modified with `-asc`/`-desc`, keyset paging with `cursor`.
 */
export const GET = apiRoute({ auth: true, query: listFlowsQuerySchema }, async ({ db, user, query }) =>
  listFlows({ db, ownerId: user.id }, query),
);

/** Creates a draft flow; a document that cannot be read is 422 with its problems. */
export const POST = apiRoute({ auth: true, body: createFlowSchema }, async ({ db, user, body, signal }) =>
  created({ flow: await createFlow({ db, ownerId: user.id, signal }, body) }),
);
