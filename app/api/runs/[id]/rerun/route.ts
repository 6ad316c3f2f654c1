import { runIdParamsSchema } from '@/lib/flows/service/flow-requests';
import { rerun } from '@/lib/flows/service/rerun';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** A new run of the same flow version with the same trigger data. */
export const POST = apiRoute({ auth: true, params: runIdParamsSchema }, async ({ db, user, params }) =>
  Response.json(await rerun({ db, ownerId: user.id }, params.id), { status: 202, headers: { 'Cache-Control': 'no-store' } }),
);
