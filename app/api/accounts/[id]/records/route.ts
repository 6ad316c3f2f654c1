import { z } from 'zod';
import { getClientForAccount } from '@/lib/dynamics/accounts/account-client';
import { accountIdParamsSchema } from '@/lib/dynamics/accounts/connect-requests';
import { findRecords, MAX_FOUND_RECORDS } from '@/lib/dynamics/connector/records/find-records';
import { metadataCache } from '@/lib/dynamics/metadata/metadata-cache';
import { LOGICAL_NAME_PATTERN } from '@/lib/dynamics/metadata/names';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

const querySchema = z.strictObject({
  table: z.string().regex(LOGICAL_NAME_PATTERN, 'Tables are logical names like lead or new_project.'),
  search: z.string().max(100).optional(),
  top: z.coerce.number().int().min(1).max(MAX_FOUND_RECORDS).optional(),
});

/**
 * A few of the table's records through the account, newest first (`?search=` filters on the primary
 * name, or finds a record by id): trigger data for "Test flow" and the lookup fields' record search.
 */
export const GET = apiRoute(
  { auth: true, params: accountIdParamsSchema, query: querySchema },
  async ({ db, user, params, query, signal }) => {
    const client = await getClientForAccount(db, user.id, params.id);
    const records = await findRecords(client, metadataCache, { table: query.table, search: query.search, top: query.top, signal });
    return { table: query.table, records };
  },
);
