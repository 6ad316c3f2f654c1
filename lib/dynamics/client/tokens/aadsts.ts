/**
 * Microsoft identity platform errors (the AADSTS number in `error_description` / `error_codes`)
 * in plain words. `reconnect` marks codes after which retrying with the same credentials can never
 * succeed: the account needs reconnecting.
 * Learn: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */

export interface AadMeaning {
  words: string;
  reconnect: boolean;
}

export const AADSTS: Readonly<Record<number, AadMeaning>> = {
  50126: { words: 'The username or password is wrong.', reconnect: true },
  50034: { words: 'The user account does not exist in this directory.', reconnect: true },
  50053: { words: 'The user account is locked after too many sign-in attempts.', reconnect: true },
  50055: { words: "The user's password has expired and must be changed.", reconnect: true },
  50057: { words: 'The user account is disabled.', reconnect: true },
  50076: {
    words: 'The user must sign in with multi-factor authentication, which this method cannot do. Use the sign-in (auth code) method.',
    reconnect: true,
  },
  50079: {
    words: 'The user must register for multi-factor authentication, which this method cannot do. Use the sign-in (auth code) method.',
    reconnect: true,
  },
  50173: { words: 'The sign-in was revoked (for example the password was changed or reset). Sign in again.', reconnect: true },
  54005: { words: 'The sign-in code was already used. Start the sign-in again.', reconnect: true },
  501481: { words: 'The sign-in could not be completed (PKCE verifier mismatch). Start the sign-in again.', reconnect: true },
  50148: { words: 'The sign-in could not be completed (PKCE verifier mismatch). Start the sign-in again.', reconnect: true },
  500117: { words: 'The sign-in could not be completed: the redirect address does not match. Start the sign-in again.', reconnect: true },
  65001: { words: 'The application has not been granted consent to access Dynamics 365 for this user or organization.', reconnect: true },
  70000: { words: 'The saved sign-in (refresh token) is not valid any more. Reconnect the account.', reconnect: true },
  70002: { words: 'The client credentials are not valid.', reconnect: true },
  70008: { words: 'The saved sign-in expired after a period of inactivity. Reconnect the account.', reconnect: true },
  700082: { words: 'The saved sign-in expired after a period of inactivity. Reconnect the account.', reconnect: true },
  70011: { words: 'The requested permission (scope) is not valid for this organization.', reconnect: true },
  700016: { words: 'The client ID is not known in this directory (wrong client ID or wrong tenant).', reconnect: true },
  7000215: { words: 'The client secret is wrong (use the secret value, not its ID).', reconnect: true },
  7000218: { words: 'The client secret is missing.', reconnect: true },
  7000222: { words: 'The client secret has expired. Create a new one in the app registration.', reconnect: true },
  7000216: { words: 'The client secret is missing.', reconnect: true },
  9002313: { words: 'The saved sign-in (refresh token) is malformed. Reconnect the account.', reconnect: true },
  9001023: { words: 'This sign-in method cannot be used with the common endpoint; use organizations or the tenant.', reconnect: true },
  90002: { words: 'The tenant in the identity endpoint does not exist.', reconnect: true },
  900144: { words: 'The sign-in request was incomplete.', reconnect: false },
};

/** By OAuth `error` when no AADSTS code is known. */
export const OAUTH_ERRORS: Readonly<Record<string, AadMeaning & { transient?: boolean }>> = {
  invalid_grant: { words: 'The saved sign-in is not valid any more. Reconnect the account.', reconnect: true },
  invalid_client: { words: 'The client ID or client secret is wrong.', reconnect: true },
  unauthorized_client: { words: 'The application is not allowed to sign in this way.', reconnect: true },
  interaction_required: { words: 'The user must sign in interactively (for example for multi-factor authentication).', reconnect: true },
  consent_required: { words: 'The application has not been granted consent.', reconnect: true },
  invalid_scope: { words: 'The requested permission (scope) is not valid.', reconnect: true },
  unsupported_grant_type: { words: 'The identity endpoint does not support this sign-in method.', reconnect: true },
  invalid_request: { words: 'The sign-in request was not accepted.', reconnect: false },
  temporarily_unavailable: { words: 'The sign-in service is temporarily unavailable.', reconnect: false, transient: true },
  server_error: { words: 'The sign-in service had an error.', reconnect: false, transient: true },
};

/** Extracts the AADSTS code: `error_codes[0]` or the `AADSTS12345:` prefix of the description. */
export function aadstsCodeOf(body: { error_codes?: unknown; error_description?: unknown }): number | undefined {
  if (Array.isArray(body.error_codes)) {
    // The most specific code comes last in older answers ([70002, 50126]); prefer a known one.
    const codes = body.error_codes.filter((c): c is number => typeof c === 'number');
    const known = [...codes].reverse().find((c) => AADSTS[c]);
    if (known !== undefined) return known;
    if (codes[0] !== undefined) return codes[0];
  }
  const m = typeof body.error_description === 'string' ? /AADSTS(\d+)/.exec(body.error_description) : null;
  return m?.[1] ? Number(m[1]) : undefined;
}

/** Plain words for a token endpoint error answer. */
export function describeTokenError(body: {
  error?: unknown;
  error_codes?: unknown;
  error_description?: unknown;
}): AadMeaning & { aadsts?: number; transient: boolean } {
  const code = aadstsCodeOf(body);
  const error = typeof body.error === 'string' ? body.error : '';
  const byCode = code !== undefined ? AADSTS[code] : undefined;
  const byError = OAUTH_ERRORS[error];
  const meaning = byCode ?? byError ?? { words: 'Signing in to Microsoft failed.', reconnect: false };
  return { ...meaning, ...(code !== undefined ? { aadsts: code } : {}), transient: !byCode && Boolean(byError?.transient) };
}
