import { importFlow } from '@/lib/flows/service/import-flow';
import { importFlowSchema } from '@/lib/flows/service/import-requests';
import { apiRoute, created } from '@/lib/server/api-route';
import { withPortableFlowStatus } from '@/lib/server/portable-flow-status';

export const dynamic = 'force-dynamic';

/** Creates a new draft flow from a portable file, each account placeholder filled by one of the caller's accounts. */
export const POST = apiRoute({ auth: true, body: importFlowSchema }, async ({ db, user, body, signal }) =>
  created(await withPortableFlowStatus(() => importFlow({ db, ownerId: user.id, signal }, body))),
);
