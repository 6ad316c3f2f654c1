import { withAuth, type NextRequestWithAuth } from 'next-auth/middleware';
import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';

// Pages: a visitor without a session is sent to sign-in. This is a convenience, not the
// authorization: pages and API routes check the session again themselves (a proxy can be bypassed).
const pages = withAuth({ pages: { signIn: '/signin' } });

const PUBLIC_PAGES = /^\/(?:signin|signup)(?:\/|$)/;

export default function proxy(req: NextRequest, event: NextFetchEvent) {
  const { pathname } = req.nextUrl;
  if (pathname === '/api' || pathname.startsWith('/api/') || pathname === '/sandbox' || pathname.startsWith('/sandbox/')) {
    // Next answers a malformed percent-encoding in the path with a bare 500 before any route
    // runs; refuse it here as the bad input it is. Routes authorize themselves.
    try {
      decodeURIComponent(pathname);
    } catch {
      return NextResponse.json({ error: { code: 'bad_path', message: 'The address contains invalid percent-encoding.' } }, { status: 400 });
    }
    return NextResponse.next();
  }
  if (PUBLIC_PAGES.test(pathname)) return NextResponse.next();
  return pages(req as NextRequestWithAuth, event);
}

export const config = {
  matcher: ['/((?!_next/|favicon\\.ico|icons/|robots\\.txt).*)'],
};
