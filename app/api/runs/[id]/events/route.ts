import { runIdParamsSchema } from '@/lib/flows/service/flow-requests';
import { runEventStream } from '@/lib/flows/service/run-events';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** The run's progress as Server-Sent Events, ending after the terminal `run` event (apiRoute passes a Response through). */
export const GET = apiRoute({ auth: true, params: runIdParamsSchema }, async ({ db, user, params, signal }) => {
  const stream = await runEventStream({ db, ownerId: user.id }, params.id, { signal });
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' },
  });
});
