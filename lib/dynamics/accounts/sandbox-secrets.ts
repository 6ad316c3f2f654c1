/**
 * The sandbox's sample secrets, by field name. Public by design (the README lists them), but kept
 * out of browser bundles all the same: the server fills them in when someone uses the sandbox.
 */
export const SANDBOX_SECRETS: Readonly<Record<string, string>> = { clientSecret: 'sandbox-secret', password: 'sandbox' };
