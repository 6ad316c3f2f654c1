import { accountContext } from '@/lib/server/account-context';
import { apiRoute, created } from '@/lib/server/api-route';
import { templateIdParamsSchema, useTemplateSchema } from '@/lib/templates/template-requests';
import { createFromTemplate } from '@/lib/templates/use-template';

export const dynamic = 'force-dynamic';

/** A draft flow from the template with the chosen accounts and fixes: 201 { flowId }, or 422 with what is left to fix. */
export const POST = apiRoute(
  { auth: true, params: templateIdParamsSchema, body: useTemplateSchema },
  async ({ req, db, user, params, body, signal }) =>
    created(await createFromTemplate({ ...accountContext(req, db, user.id), signal }, params.id, body)),
);
