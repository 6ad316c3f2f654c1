import type { AccountContext } from './account-context';
import { sandboxIdentityEndpoint, sandboxServiceUrl } from './sandbox-defaults';
import { sandboxTenantFor } from './sandbox-tenant';

type Who = Pick<AccountContext, 'appOrigin' | 'ownerId'>;

/**
 * The built-in sandbox's shared `organizations`/`common` authority, read as the user's own sandbox
 * organization (each user has one, selected by their tenant; see sandbox-tenant.ts). Any other
 * identity endpoint is returned as it is.
 */
export function ownSandboxAuthority(who: Who, identityEndpoint: string): string {
  const shared = [sandboxIdentityEndpoint(who.appOrigin, 'organizations'), sandboxIdentityEndpoint(who.appOrigin, 'common')];
  if (!shared.includes(identityEndpoint.replace(/\/+$/, ''))) return identityEndpoint;
  return sandboxIdentityEndpoint(who.appOrigin, sandboxTenantFor(who.ownerId));
}

export const isSandboxService = (who: Who, serviceUrl: string | undefined): boolean =>
  (serviceUrl ?? '').replace(/\/+$/, '') === sandboxServiceUrl(who.appOrigin);

/**
 * A stored connection as it is used: accounts saved before each user had their own sandbox named
 * the shared authority; read as the user's own, their next sign-in fails cleanly ("needs
 * reconnecting") instead of being refused as a request to nobody's organization.
 */
export function withOwnSandbox<T extends { identityEndpoint: string }>(who: Who, connection: T): T {
  const identityEndpoint = ownSandboxAuthority(who, connection.identityEndpoint);
  return identityEndpoint === connection.identityEndpoint ? connection : { ...connection, identityEndpoint };
}
