/**
 * Microsoft identity platform error responses:
 *   {"error":"invalid_grant","error_description":"AADSTS50126: …\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …",
 *    "error_codes":[50126],"timestamp":"2021-08-04 08:21:45Z","trace_id":"…","correlation_id":"…",
 *    "error_uri":"https://login.microsoftonline.com/error?code=50126"}
 * Status 400, except `invalid_client` which is 401.
 *
 * Learn: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
import { aadTimestamp } from '../util/dates';

export class AadError extends Error {
  constructor(
    readonly error: string,
    readonly aadsts: number,
    readonly text: string,
    readonly suberror?: string,
  ) {
    super(`AADSTS${aadsts}: ${text}`);
  }

  get status(): number {
    return this.error === 'invalid_client' ? 401 : 400;
  }
}

export function aadErrorBody(e: AadError, correlationId: string, now = Date.now()): Record<string, unknown> {
  const traceId = crypto.randomUUID();
  const timestamp = aadTimestamp(now);
  const body: Record<string, unknown> = {
    error: e.error,
    error_description: `AADSTS${e.aadsts}: ${e.text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [e.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${e.aadsts}`,
  };
  if (e.suberror) body.suberror = e.suberror;
  return body;
}

export const aad = {
  missingParam: (name: string) =>
    new AadError('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrant: (grant: string) =>
    new AadError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  unknownClient: (clientId: string, tenant: string) =>
    new AadError(
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  missingSecret: () =>
    new AadError(
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  wrongSecret: (clientId: string) =>
    new AadError(
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  // AADSTS50076: the password grant (ROPC) cannot satisfy a multi-factor requirement.
  mfaRequired: (resource: string) =>
    new AadError(
      'invalid_grant',
      50076,
      `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resource}'.`,
    ),
  badPassword: () => new AadError('invalid_grant', 50126, 'Error validating credentials due to invalid username or password.'),
  unknownUser: (tenant: string) =>
    new AadError(
      'invalid_grant',
      50034,
      `The user account {EmailHidden} does not exist in the ${tenant} directory. To sign into this application, the account must be added to the directory.`,
    ),
  ropcOnCommon: () =>
    new AadError(
      'invalid_request',
      9001023,
      'The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.',
    ),
  tenantNotFound: (tenant: string) =>
    new AadError(
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  invalidGrant: () => new AadError('invalid_grant', 70000, 'Provided grant is invalid or malformed.'),
  malformedRefreshToken: () => new AadError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  refreshTokenExpired: (issued: string, inactiveSeconds: number) =>
    new AadError(
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${issued} and was inactive for ${formatSpan(inactiveSeconds)}.`,
      'bad_token',
    ),
  refreshTokenRevoked: (issued: string, validFrom: string) =>
    new AadError(
      'invalid_grant',
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${issued}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${validFrom}'.`,
      'bad_token',
    ),
  codeRedeemed: () =>
    new AadError(
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  codeExpired: () =>
    new AadError(
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  badVerifier: () =>
    new AadError('invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.'),
  missingVerifier: () =>
    new AadError(
      'invalid_grant',
      50148,
      'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
    ),
  redirectMismatch: () =>
    new AadError(
      'invalid_grant',
      500117,
      "The reply uri specified in the request does not match the reply uri used to obtain the authorization code (the 'redirect_uri' must match exactly).",
    ),
  invalidScope: (scope: string) =>
    new AadError(
      'invalid_scope',
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  scopeNotDefault: (scope: string) =>
    new AadError(
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
};

function formatSpan(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d > 0 ? `${d}.` : ''}${pad(h)}:${pad(m)}:${pad(s)}`;
}
