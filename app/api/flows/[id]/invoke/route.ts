import { z } from 'zod';
import { flowIdParamsSchema } from '@/lib/flows/service/flow-requests';
import { answerInvoke } from '@/lib/flows/service/invoke-http';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/**
 * Public: the API request trigger. Authenticated by the flow's key (`X-Flow-Key`) or the owner's
 * personal API token, not by the usual sign-in; see lib/flows/service/invoke-flow.ts. Calls with
 * the flow's key usually take the server's fast path (lib/flows/service/invoke-fast-path.ts), which
 * answers the same way without Next's request pipeline.
 */
const invoke = apiRoute({ auth: false, params: flowIdParamsSchema, body: z.unknown() }, async ({ req, db, user, params, body, signal }) =>
  answerInvoke(db, req, params.id, { userId: user?.id, body, signal }),
);

export const GET = invoke;
export const POST = invoke;
export const PUT = invoke;
export const PATCH = invoke;
export const DELETE = invoke;
