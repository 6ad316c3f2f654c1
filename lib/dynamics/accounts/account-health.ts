import type { AccountHealth } from './account-view';

const DAY = 86_400_000;
/** Microsoft ends refresh tokens after 90 days without use; warn in the last ten. */
const REFRESH_TOKEN_LIFETIME_DAYS = 90;
const WARN_DAYS = 10;

export interface HealthInput {
  status: string;
  statusReason: string | null;
  method: string;
  /** ISO time the stored refresh token was obtained (it rotates on every refresh). */
  refreshTokenObtainedAt?: string | null;
}

/** What the catalog says about an account's connection, from its stored status and token ages. */
export function accountHealth(input: HealthInput, now = Date.now()): { health: AccountHealth; reason: string | null } {
  if (input.status === 'needs_reconnect' || input.status === 'error') {
    return { health: 'needs_reconnect', reason: input.statusReason ?? 'Sign in again to keep this account working.' };
  }
  if (input.status !== 'connected') return { health: 'unverified', reason: null };
  if (input.method !== 'password' && input.refreshTokenObtainedAt) {
    const age = (now - Date.parse(input.refreshTokenObtainedAt)) / DAY;
    const left = Math.floor(REFRESH_TOKEN_LIFETIME_DAYS - age);
    if (left <= WARN_DAYS) {
      return {
        health: 'expiring_soon',
        reason: left <= 0 ? 'The refresh token has probably expired. Update the credentials or sign in again.' : `The refresh token has not been used for ${Math.floor(age)} days and expires in about ${left} days unless a flow uses the account.`,
      };
    }
  }
  return { health: 'connected', reason: null };
}
