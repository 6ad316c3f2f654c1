import { inspectImport } from '@/lib/flows/service/import-flow';
import { inspectImportSchema } from '@/lib/flows/service/import-requests';
import { apiRoute } from '@/lib/server/api-route';
import { withPortableFlowStatus } from '@/lib/server/portable-flow-status';

export const dynamic = 'force-dynamic';

/** What importing a portable file would create (name, steps, a placeholder per account to choose), or why it cannot be imported. */
export const POST = apiRoute({ auth: true, body: inspectImportSchema }, async ({ body }) =>
  withPortableFlowStatus(() => inspectImport(body.text)),
);
