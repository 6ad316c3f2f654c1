import { apiRoute } from '@/lib/server/api-route';
import { templateIdParamsSchema } from '@/lib/templates/template-requests';
import { toTemplateDetail } from '@/lib/templates/template-view';
import { requireTemplate } from '@/lib/templates/use-template';

export const dynamic = 'force-dynamic';

/** One template with its flow document, for the preview. */
export const GET = apiRoute({ auth: true, params: templateIdParamsSchema }, async ({ params }) => ({
  template: toTemplateDetail(requireTemplate(params.id)),
}));
