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
  /** The client secret's expiry date as the person entered it (YYYY-MM-DD), if they did. */
  clientSecretExpiresOn?: string | null;
}

/** Warn this long before a client secret expires. */
const SECRET_WARN_DAYS = 14;

/** What the catalog says about an account's connection, from its stored status and token ages. */
export function accountHealth(input: HealthInput, now = Date.now()): { health: AccountHealth; reason: string | null } {
  if (input.status === 'needs_reconnect' || input.status === 'error') {
    return { health: 'needs_reconnect', reason: input.statusReason ?? 'Sign in again to keep this account working.' };
  }
  if (input.status !== 'connected') return { health: 'unverified', reason: null };
  if (input.clientSecretExpiresOn) {
    // Whole calendar days from today (UTC) to the date Azure shows; the secret works through that day.
    const today = Date.parse(new Date(now).toISOString().slice(0, 10));
    const left = Math.round((Date.parse(input.clientSecretExpiresOn) - today) / DAY);
    const when = left === 0 ? 'today' : `in ${left} day${left === 1 ? '' : 's'}`;
    if (left < 0)
      return {
        health: 'needs_reconnect',
        reason: `The client secret expired on ${input.clientSecretExpiresOn}. Create a new one in Azure and update the credentials.`,
      };
    if (left <= SECRET_WARN_DAYS) {
      return {
        health: 'expiring_soon',
        reason: `The client secret expires on ${input.clientSecretExpiresOn} (${when}). Create a new one in Azure and update the credentials.`,
      };
    }
  }
  if (input.method !== 'password' && input.refreshTokenObtainedAt) {
    const age = (now - Date.parse(input.refreshTokenObtainedAt)) / DAY;
    const left = Math.floor(REFRESH_TOKEN_LIFETIME_DAYS - age);
    if (left <= WARN_DAYS) {
      return {
        health: 'expiring_soon',
        reason:
          left <= 0
            ? 'The refresh token has probably expired. Update the credentials or sign in again.'
            : `The refresh token has not been used for ${Math.floor(age)} days and expires in about ${left} days unless a flow uses the account.`,
      };
    }
  }
  return { health: 'connected', reason: null };
}
