import { createHash, randomBytes } from 'node:crypto';

/** Personal API tokens look like `dfd_<43 base64url chars>`; only their SHA-256 is stored. */
export const API_TOKEN_PREFIX = 'dfd_';

export function generateApiToken(): { token: string; prefix: string; tokenHash: string } {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, prefix: token.slice(0, API_TOKEN_PREFIX.length + 6), tokenHash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeApiToken(value: string): boolean {
  return /^dfd_[A-Za-z0-9_-]{43}$/.test(value);
}
