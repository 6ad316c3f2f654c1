import type { SandboxOrganization } from './sandbox-defaults';

/**
 * The sandbox organizations' sample secrets, by field name. Public by design (the README lists
 * them), but kept out of browser bundles all the same: the server fills them in when someone uses
 * the sandbox.
 */
const SECRETS: Readonly<Record<SandboxOrganization, Readonly<Record<string, string>>>> = {
  first: { clientSecret: 'sandbox-secret', password: 'sandbox' },
  second: { clientSecret: 'sandbox-org2-secret', password: 'sandbox' },
};

export const sandboxSecrets = (organization: SandboxOrganization = 'first'): Readonly<Record<string, string>> => SECRETS[organization];

/** The first organization's, as before there were two. */
export const SANDBOX_SECRETS: Readonly<Record<string, string>> = SECRETS.first;
