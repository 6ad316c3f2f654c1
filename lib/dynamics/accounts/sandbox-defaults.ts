/**
 * The built-in Dynamics 365 sandbox (a contract other parts and the README rely on): its service
 * URLs live under the app's own origin. It has two organizations, as a real tenant can have two
 * environments: the first (`/sandbox`) and a second one with a different schema (`/sandbox/org2`:
 * lead's Lead Score, its own Lead Source choices, a Milestone table), each with its own app
 * registration and user. Browser-safe: the sandbox's secrets, public as they are, live in
 * sandbox-secrets.ts, which only the server imports, so no secret-shaped string ever ships in a
 * browser bundle. (Production code may not import the emulator, so its paths and sign-in values are
 * written out here; sandbox-defaults.test.ts checks them against lib/dynamics/sandbox.)
 */

/** Which of the sandbox's organizations: the first (the default) or the second, with its different schema. */
export const SANDBOX_ORGANIZATIONS = ['first', 'second'] as const;
export type SandboxOrganization = (typeof SANDBOX_ORGANIZATIONS)[number];

interface SandboxOrganizationInfo {
  /** The organization's path under the sandbox's mount (`''` for the first). */
  path: string;
  clientId: string;
  username: string;
  /** What the catalog calls the organization. */
  title: string;
  /** A new account's name when none is given: the first keeps "Account N", the second says which it is. */
  defaultNameBase: string;
}

const ORGANIZATIONS: Readonly<Record<SandboxOrganization, SandboxOrganizationInfo>> = {
  first: {
    path: '',
    clientId: 'sandbox-client',
    username: 'sales@sandbox.local',
    title: 'Contoso (main)',
    defaultNameBase: 'Account',
  },
  second: {
    path: '/org2',
    clientId: 'sandbox-org2-client',
    username: 'sales@org2.sandbox.local',
    title: 'Fabrikam (second organization, a different schema)',
    defaultNameBase: 'Fabrikam sandbox',
  },
};

export const sandboxOrganizationInfo = (organization: SandboxOrganization = 'first'): SandboxOrganizationInfo =>
  ORGANIZATIONS[organization];

export const sandboxEnabled = (env: NodeJS.ProcessEnv = process.env) => env.SANDBOX !== 'off';

export function sandboxServiceUrl(appOrigin: string, organization: SandboxOrganization = 'first'): string {
  return `${appOrigin}/sandbox${ORGANIZATIONS[organization].path}`;
}

/**
 * The identity endpoint of a sandbox organization. In the app each user has an own sandbox
 * organization (in each of the two), selected by the tenant (the server passes the user's, from
 * sandbox-tenant.ts); `organizations` is what the browser shows, and the server replaces it with
 * the user's tenant.
 */
export function sandboxIdentityEndpoint(appOrigin: string, tenant = 'organizations', organization: SandboxOrganization = 'first'): string {
  return `${sandboxServiceUrl(appOrigin, organization)}/login/${tenant}`;
}

/** A sandbox organization's non-secret connection values by field name; a method takes the ones it has. */
export function sandboxConnectionValues(
  appOrigin: string,
  opts: { tenant?: string; organization?: SandboxOrganization } = {},
): Record<string, string> {
  const organization = opts.organization ?? 'first';
  const { clientId, username } = ORGANIZATIONS[organization];
  return {
    serviceUrl: sandboxServiceUrl(appOrigin, organization),
    identityEndpoint: sandboxIdentityEndpoint(appOrigin, opts.tenant, organization),
    clientId,
    username,
  };
}

/** Which sandbox organization a service URL is (trailing slashes aside), or null for any other. */
export function sandboxOrganizationOf(appOrigin: string, serviceUrl: string | undefined): SandboxOrganization | null {
  const url = (serviceUrl ?? '').replace(/\/+$/, '');
  return SANDBOX_ORGANIZATIONS.find((organization) => sandboxServiceUrl(appOrigin, organization) === url) ?? null;
}

/** The app's own origin as the server reaches it: the configured public URL, else the request's. */
export function appOrigin(requestOrigin: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    if (env.NEXTAUTH_URL) return new URL(env.NEXTAUTH_URL).origin;
  } catch {
    // fall through to the request's origin
  }
  return requestOrigin;
}
