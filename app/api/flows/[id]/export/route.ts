import { exportFlow } from '@/lib/flows/service/export-flow';
import { flowIdParamsSchema } from '@/lib/flows/service/flow-requests';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** The flow's current draft as a portable YAML file (accounts as placeholders), downloaded as `<name>.flow.yaml`. */
export const GET = apiRoute({ auth: true, params: flowIdParamsSchema }, async ({ db, user, params }) => {
  const { fileName, text } = await exportFlow({ db, ownerId: user.id }, params.id);
  return new Response(text, {
    headers: {
      'Content-Type': 'text/yaml; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
});
