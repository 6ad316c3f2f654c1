import { apiRoute } from '@/lib/server/api-route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ auth: true }, async ({ user }) => ({ id: user.id, email: user.email, name: user.name }));
