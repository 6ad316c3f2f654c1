const MESSAGES: Record<string, string> = {
  sign_in_stale:
    'The Microsoft sign-in could not be completed: it was started in another session, took too long or was already used. Start again from Connect.',
  verification_failed:
    'Microsoft accepted the sign-in, but the connection to Dynamics could not be verified. Check the environment URL and that the user has access to it, then start again from Connect.',
  dynamics_error: 'Microsoft did not complete the sign-in: it was cancelled or refused. Start again from Connect.',
  name_taken:
    'Another Microsoft Dynamics 365 for Sales account already has that name. Start again from Connect and choose a different name.',
  not_found: 'The account being signed in again no longer exists. Connect it again from the Catalog.',
  sandbox_disabled: 'The built-in sandbox is turned off on this installation.',
};

export const GENERIC_CONNECT_ERROR = 'The Microsoft sign-in could not be completed. Start again from Connect.';

export function connectErrorMessage(code: string | null): string | null {
  if (code === null) return null;
  return Object.hasOwn(MESSAGES, code) ? MESSAGES[code]! : GENERIC_CONNECT_ERROR;
}
