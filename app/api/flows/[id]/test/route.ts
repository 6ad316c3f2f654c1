import { flowIdParamsSchema, testFlowSchema } from '@/lib/flows/service/flow-requests';
import { testFlow } from '@/lib/flows/service/test-flow';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** Runs the draft once in test mode with the given trigger data (or the trigger's sample payload). */
export const POST = apiRoute({ auth: true, params: flowIdParamsSchema, body: testFlowSchema }, async ({ db, user, params, body, signal }) =>
  Response.json(await testFlow({ db, ownerId: user.id, signal }, params.id, body), {
    status: 202,
    headers: { 'Cache-Control': 'no-store' },
  }),
);
