/**
 * The key an account's limits are kept under: Dataverse counts its service protection limits per
 * user (principal) per environment, so two accounts of the app that sign in as the same user to the
 * same environment share one `Retry-After` gate and one concurrency cap. The principal is known
 * from the connection only for the password method (the user name); for the delegated methods
 * (auth_code, basic_oauth) the signed-in user is only known from a token, so their key is the
 * account itself. Hashed, so the shared storage (account_gates) holds no user names or URLs.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
 */
import { createHash } from 'node:crypto';
import type { AccountConnection } from '../types';

/** `(environment, principal)` of an account as an opaque stable key. */
export function limitKeyOf(account: Pick<AccountConnection, 'id' | 'serviceUrl' | 'method' | 'secrets'>): string {
  const environment = account.serviceUrl.replace(/\/+$/, '').toLowerCase();
  const username = account.secrets.username?.trim().toLowerCase();
  const principal = account.method === 'password' && username ? `user:${username}` : `account:${account.id}`;
  return `lim_${createHash('sha256').update(`${environment}\n${principal}`).digest('hex').slice(0, 32)}`;
}
