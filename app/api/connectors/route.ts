import { apiRoute } from '@/lib/server/api-route';
import { listApplications } from '@/lib/connectors/catalog';

export const dynamic = 'force-dynamic';

/** The applications with their events and actions: Dynamics 365 for Sales first, then the toolbox. */
export const GET = apiRoute({ auth: true }, async () => ({ applications: listApplications() }));
