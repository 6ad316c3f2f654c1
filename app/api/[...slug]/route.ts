import { errorResponse } from '@/lib/server/api-error';

export const dynamic = 'force-dynamic';

// Unknown API paths answer JSON, never the HTML 404 page.
const notFound = () => errorResponse(404, 'not_found', 'There is no API endpoint at this path.');

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
