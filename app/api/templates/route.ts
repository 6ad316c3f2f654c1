import { apiRoute } from '@/lib/server/api-route';
import { searchTemplates } from '@/lib/templates/search-templates';
import { templateCatalog } from '@/lib/templates/template-catalog';
import { listTemplatesQuerySchema } from '@/lib/templates/template-requests';
import { toTemplateSummary } from '@/lib/templates/template-view';

export const dynamic = 'force-dynamic';

/** The gallery: every template with its tags, or those matching `q`, `object` and `trigger`, best first. */
export const GET = apiRoute({ auth: true, query: listTemplatesQuerySchema }, async ({ query }) => ({
  templates: searchTemplates(templateCatalog().templates, query).map(toTemplateSummary),
}));
