import { z } from 'zod';
import { apiRoute } from '@/lib/server/api-route';
import { ApiError, notFound } from '@/lib/server/api-error';
import { getClientForAccount } from '@/lib/dynamics/accounts/account-client';
import { describeAccountCatalog, MAX_DESCRIBED_TABLES } from '@/lib/dynamics/connector/account-catalog';
import { listApplications } from '@/lib/connectors/catalog';
import { CONNECTOR_ID } from '@/lib/dynamics/connector/ids';
import { LOGICAL_NAME_PATTERN } from '@/lib/dynamics/metadata/names';

export const dynamic = 'force-dynamic';

// The id is a connector id (`dynamics`, `scheduler`, …), not an owned row.
const paramsSchema = z.object({ id: z.string().min(1).max(64) });

const querySchema = z.strictObject({
  account: z
    .string()
    .regex(/^[0-9A-Za-z_-]{1,64}$/, 'Not an account id.')
    .optional(),
  table: z
    .string()
    .max(2000)
    .transform((s) =>
      s
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(LOGICAL_NAME_PATTERN, 'Tables are logical names like new_project.')).max(MAX_DESCRIBED_TABLES))
    .optional(),
  refresh: z.enum(['0', '1', 'true', 'false']).optional(),
  /** `details=0`: only the list of tables (the catalog's "Show more"), no columns or forms. */
  details: z.enum(['0', '1']).optional(),
});

/**
 * One application. For `dynamics` with `?account=<id>`: the tables discovered through that account
 * (built-in objects first) with their actions and events, and for `?table=a,b` (default: the six
 * built-in objects) their columns and the forms of their actions and events. `?refresh=1` asks
 * Dataverse again instead of using cached metadata.
 */
export const GET = apiRoute({ auth: true, params: paramsSchema, query: querySchema }, async ({ req, db, user, params, query }) => {
  const application = listApplications().find((a) => a.id === params.id);
  if (!application) throw notFound('The application');
  if (!query.account) return { application };
  if (application.id !== CONNECTOR_ID) throw new ApiError(400, 'no_accounts', `${application.title} does not use accounts.`);
  const client = await getClientForAccount(db, user.id, query.account);
  return describeAccountCatalog(client, {
    tables: query.table,
    refresh: query.refresh === '1' || query.refresh === 'true',
    describe: query.details !== '0',
    signal: req.signal,
  });
});
