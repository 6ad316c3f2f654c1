import type { NextRequest } from 'next/server';
import type { Db } from '@/lib/db/database';
import { ApiError, unauthorized } from './api-error';
import { allowedOrigins, isSameOriginRequest } from './csrf';
import { resolveUser, type AuthUser } from './current-user';

/**
 * Who is calling, and whether they may: resolves the session or personal API token, refuses a
 * missing caller when `required`, and refuses cookie-authenticated changes from another origin.
 * Anonymous calls (sign-up) carry no ambient authority: they are refused only when a browser says
 * they are cross-site. Throws ApiError (401/403).
 */
export async function authorizeCaller(req: NextRequest, db: Db, required: boolean): Promise<AuthUser | null> {
  const user = await resolveUser(req, db);
  if (required && !user) throw unauthorized();
  const origin = req.headers.get('origin');
  const mustCheckOrigin = user?.via === 'session' || (!user && origin !== null);
  if (
    mustCheckOrigin &&
    !isSameOriginRequest({
      method: req.method,
      origin,
      secFetchSite: req.headers.get('sec-fetch-site'),
      allowedOrigins: allowedOrigins(req.headers, req.nextUrl.protocol),
    })
  ) {
    throw new ApiError(
      403,
      'cross_origin_refused',
      'Cross-origin requests that change data are refused. Use a personal API token for scripts.',
    );
  }
  return user;
}
