/**
 * What makes one sandbox organization different from another: its tables (schema), seed data, the
 * tenant and organization ids of its default organization, and its directory (users and app
 * registrations). The first organization serves at the sandbox's base path; the second one
 * (second-organization.ts) at `<base>/org2`, with its own everything.
 */
import type { Actor } from '../model/rows';
import { schemaOf, type Schema } from '../model/schema';
import { builtInClients, builtInUsers, type SandboxClient, type SandboxUser } from '../identity/directory';
import { freshSeed } from '../seed/generate';
import {
  SALES_USER,
  SANDBOX_BUSINESS_UNIT_ID,
  SANDBOX_CLIENT,
  SANDBOX_CURRENCY_ID,
  SANDBOX_ORG_ID,
  SANDBOX_TENANT_ID,
} from '../seed/constants';
import type { SerializedOrg } from '../store';
import { allTables } from '../tables';

export interface OrganizationProfile {
  /** For messages and logs: 'primary' or 'org2'. */
  name: string;
  schema: Schema;
  /** A fresh copy of the seed data (reset, a new tenant's organization). */
  seed: () => SerializedOrg;
  /** The default organization's tenant (the one every segment selects unless `tenantOf` says otherwise). */
  tenantId: string;
  /** WhoAmI's OrganizationId. */
  organizationId: string;
  users: SandboxUser[];
  clients: SandboxClient[];
  /** Who generated rows (bulk hook) are created by. */
  actor: Actor;
}

export const PRIMARY_PROFILE: OrganizationProfile = {
  name: 'primary',
  schema: schemaOf(allTables),
  seed: freshSeed,
  tenantId: SANDBOX_TENANT_ID,
  organizationId: SANDBOX_ORG_ID,
  users: builtInUsers,
  clients: builtInClients,
  actor: { userId: SALES_USER.systemuserid, businessUnitId: SANDBOX_BUSINESS_UNIT_ID, currencyId: SANDBOX_CURRENCY_ID },
};

/** The client id the profile's info and README name (its first app registration). */
export const primaryClientId = (p: OrganizationProfile): string => p.clients[0]?.clientId ?? SANDBOX_CLIENT.clientId;
