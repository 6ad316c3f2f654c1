import { runIdParamsSchema } from '@/lib/flows/service/flow-requests';
import { getRun } from '@/lib/flows/service/get-run';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** The run with its trigger data and steps (inputs as recorded: already redacted). */
export const GET = apiRoute({ auth: true, params: runIdParamsSchema }, async ({ db, user, params }) => ({
  run: await getRun({ db, ownerId: user.id }, params.id),
}));
