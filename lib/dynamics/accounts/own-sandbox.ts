import type { AccountContext } from './account-context';
import { SANDBOX_ORGANIZATIONS, sandboxIdentityEndpoint, sandboxOrganizationOf } from './sandbox-defaults';
import { sandboxTenantFor } from './sandbox-tenant';

type Who = Pick<AccountContext, 'appOrigin' | 'ownerId'>;

/**
 * The built-in sandbox's shared `organizations`/`common` authority, in either sandbox organization
 * (`/sandbox/login/…` or `/sandbox/org2/login/…`), read as the user's own organization there (each
 * user has one in each, selected by the same tenant; see sandbox-tenant.ts). Any other identity
 * endpoint is returned as it is.
 */
export function ownSandboxAuthority(who: Who, identityEndpoint: string): string {
  const given = identityEndpoint.replace(/\/+$/, '');
  for (const organization of SANDBOX_ORGANIZATIONS) {
    const shared = ['organizations', 'common'].map((tenant) => sandboxIdentityEndpoint(who.appOrigin, tenant, organization));
    if (shared.includes(given)) return sandboxIdentityEndpoint(who.appOrigin, sandboxTenantFor(who.ownerId), organization);
  }
  return identityEndpoint;
}

/** Whether a service URL is one of the built-in sandbox's organizations. */
export const isSandboxService = (who: Who, serviceUrl: string | undefined): boolean =>
  sandboxOrganizationOf(who.appOrigin, serviceUrl) !== null;

/**
 * A stored connection as it is used: accounts saved before each user had their own sandbox named
 * the shared authority; read as the user's own, their next sign-in fails cleanly ("needs
 * reconnecting") instead of being refused as a request to nobody's organization.
 */
export function withOwnSandbox<T extends { identityEndpoint: string }>(who: Who, connection: T): T {
  const identityEndpoint = ownSandboxAuthority(who, connection.identityEndpoint);
  return identityEndpoint === connection.identityEndpoint ? connection : { ...connection, identityEndpoint };
}
