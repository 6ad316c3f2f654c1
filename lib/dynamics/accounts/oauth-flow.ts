import type { ConnectionConfig } from '../connector/auth/connection-config';
import { createHash } from 'node:crypto';
import { seal, unseal } from './sealed';

/** Name and path of the cookie that carries a pending Microsoft sign-in between start and callback. */
export const OAUTH_COOKIE = 'dfd_oauth';
export const OAUTH_COOKIE_PATH = '/api/accounts/oauth';
const PURPOSE = 'oauth-sign-in';
/** Microsoft's authorization codes live about ten minutes; the pending sign-in no longer. */
export const SIGN_IN_TTL_SECONDS = 600;
const TTL_SECONDS = SIGN_IN_TTL_SECONDS;

/** The server keeps only a hash of the state: enough to consume it once, useless to anyone reading the table. */
export const stateHash = (state: string): string => createHash('sha256').update(state).digest('hex');

export interface PendingSignIn {
  state: string;
  codeVerifier: string;
  redirectUri: string;
  /** The checked connection, with the client ID to sign in through and only a secret the person typed. */
  config: ConnectionConfig;
  name?: string;
  accountId?: string;
}

export function sealPendingSignIn(ownerId: string, pending: PendingSignIn): string {
  return seal(PURPOSE, ownerId, TTL_SECONDS, pending);
}

export function openPendingSignIn(ownerId: string, cookie: string | undefined) {
  if (!cookie) return { ok: false as const, reason: 'missing' as const };
  return unseal<PendingSignIn>(PURPOSE, ownerId, cookie);
}

export function pendingCookie(value: string, secure: boolean): string {
  return `${OAUTH_COOKIE}=${value}; Path=${OAUTH_COOKIE_PATH}; HttpOnly; SameSite=Lax; Max-Age=${TTL_SECONDS}${secure ? '; Secure' : ''}`;
}

/** Clearing the cookie on every callback makes a replayed callback find nothing to complete. */
export function clearedCookie(secure: boolean): string {
  return `${OAUTH_COOKIE}=; Path=${OAUTH_COOKIE_PATH}; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}
