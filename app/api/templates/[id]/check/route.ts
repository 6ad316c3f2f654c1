import { accountContext } from '@/lib/server/account-context';
import { apiRoute } from '@/lib/server/api-route';
import { checkTemplateSchema, templateIdParamsSchema } from '@/lib/templates/template-requests';
import { checkTemplate } from '@/lib/templates/use-template';

export const dynamic = 'force-dynamic';

/** Whether the chosen accounts work and what of the template does not fit them, with fixes; creates nothing. */
export const POST = apiRoute(
  { auth: true, params: templateIdParamsSchema, body: checkTemplateSchema },
  async ({ req, db, user, params, body, signal }) => checkTemplate({ ...accountContext(req, db, user.id), signal }, params.id, body),
);
