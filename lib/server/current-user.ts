import { getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import type { Db } from '@/lib/db/database';
import { findUserById } from '@/lib/db/repositories/users';
import { findActiveTokenByHash } from '@/lib/db/repositories/api-tokens';
import { findActiveSession } from '@/lib/db/repositories/sessions';
import { hashApiToken } from '@/lib/sign-in/api-token';
import { ApiError, unauthorized } from './api-error';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  /** How the request proved who it is: cookie sessions need a CSRF check, bearer tokens do not. */
  via: 'session' | 'token';
  /** The credential itself: the session's id, or the bearer token's id and end (a token it mints may not outlive it). */
  credential: { kind: 'session'; sessionId: string } | { kind: 'token'; tokenId: string; expiresAt: string | null };
}

/**
 * Resolves the caller from `Authorization: Bearer <personal API token>` or the session cookie.
 * A bearer header that does not verify is an error even when a cookie is also present.
 */
export async function resolveUser(req: NextRequest, db: Db): Promise<AuthUser | null> {
  const authorization = req.headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new ApiError(401, 'invalid_token', 'The Authorization header must be "Bearer <personal API token>".');
    const found = await findActiveTokenByHash(db, hashApiToken(match[1]));
    if (!found) throw new ApiError(401, 'invalid_token', 'The API token is unknown, revoked or expired.');
    const user = await findUserById(db, found.ownerId);
    if (!user) throw unauthorized();
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      via: 'token',
      credential: { kind: 'token', tokenId: found.id, expiresAt: found.expiresAt },
    };
  }
  const jwt = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  if (typeof jwt?.sub !== 'string') return null;
  // The cookie's signature is not enough: its session must still be active (sign-out revokes it).
  if (typeof jwt.sid !== 'string' || !(await findActiveSession(db, jwt.sid, jwt.sub))) return null;
  const user = await findUserById(db, jwt.sub);
  return user
    ? { id: user.id, email: user.email, name: user.name, via: 'session', credential: { kind: 'session', sessionId: jwt.sid } }
    : null;
}
