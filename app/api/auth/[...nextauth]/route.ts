import NextAuth from 'next-auth';
import { cookies } from 'next/headers';
import type { NextRequest } from 'next/server';
import { authOptions } from '@/lib/sign-in/auth-options';
import { errorResponse } from '@/lib/server/api-error';

interface AuthRouteContext {
  params: Promise<{ nextauth?: string[] }>;
}

// next-auth's default rule (a path on this site, or a URL on this origin), except that a value
// new URL cannot read sends the visitor home instead of throwing (a 500 with a stack trace).
const redirect: NonNullable<NonNullable<typeof authOptions.callbacks>['redirect']> = async (params) => {
  if (!isHttpUrl(params.url, params.baseUrl)) return params.baseUrl;
  if (authOptions.callbacks?.redirect) return authOptions.callbacks.redirect(params);
  if (params.url.startsWith('/')) return `${params.baseUrl}${params.url}`;
  return new URL(params.url).origin === params.baseUrl ? params.url : params.baseUrl;
};

const handler = NextAuth({ ...authOptions, callbacks: { ...authOptions.callbacks, redirect } });

/** The same test next-auth applies to `callbackUrl` before answering 500 "server configuration" for a failure. */
function isHttpUrl(url: string, base: string): boolean {
  try {
    return /^https?:$/.test(new URL(url, url.startsWith('/') ? base : undefined).protocol);
  } catch {
    return false;
  }
}

/**
 * next-auth answers 500 for the visitor's own mistakes: a `callbackUrl` (query or the
 * `next-auth.callback-url` cookie) it cannot read, and a GET of the credentials callback. They
 * are answered here as what they are, before next-auth sees them.
 */
async function authRoute(req: NextRequest, context: AuthRouteContext): Promise<Response> {
  const [action, provider] = (await context.params).nextauth ?? [];
  if (action === 'callback' && provider === 'credentials' && req.method !== 'POST') {
    return errorResponse(405, 'method_not_allowed', 'Signing in with a password is a POST.', undefined, { Allow: 'POST' });
  }
  const base = req.nextUrl.origin;
  const callbackUrl = req.nextUrl.searchParams.get('callbackUrl');
  if (callbackUrl !== null && !isHttpUrl(callbackUrl, base)) {
    return errorResponse(400, 'invalid_callback_url', 'The callbackUrl parameter is not a valid address.');
  }
  // A poisoned cookie would otherwise break sign-in for that browser until it is cleared by hand:
  // it is deleted (which is also what next-auth reads from now on) and the request goes on.
  const jar = await cookies();
  for (const cookie of jar.getAll()) {
    if (/^(?:__Secure-)?next-auth\.callback-url$/.test(cookie.name) && cookie.value && !isHttpUrl(cookie.value, base))
      jar.delete(cookie.name);
  }
  return handler(req, context);
}

export { authRoute as GET, authRoute as POST };
