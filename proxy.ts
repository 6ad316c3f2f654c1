import { withAuth } from 'next-auth/middleware';

// First line of defence for pages only: redirects visitors without a session to sign-in.
// API routes and pages check the session again themselves (a proxy can be bypassed).
export default withAuth({ pages: { signIn: '/signin' } });

export const config = {
  matcher: ['/((?!api/|sandbox(?:/|$)|_next/|signin|signup|favicon\\.ico|icons/|robots\\.txt).*)'],
};
