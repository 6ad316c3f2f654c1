import { sql } from 'kysely';
import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

/** Public: reports that the server and its database answer. */
export const GET = apiRoute({ auth: false }, async ({ db }) => {
  await sql`select 1`.execute(db.db);
  return { status: 'ok', version: process.env.APP_VERSION ?? '0.0.0', database: db.kind };
});
