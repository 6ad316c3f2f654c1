/**
 * The sandbox's second organization: another Dataverse environment with a schema of its own (lead's
 * custom Lead Score and own Lead Source choices, the custom Milestone table), its own tenant,
 * organization id, user `sales@org2.sandbox.local`/`sandbox` and app registration
 * `sandbox-org2-client`/`sandbox-org2-secret`. Its seed is generated once and cloned per organization.
 */
import { schemaOf } from '../model/schema';
import { generateSecondOrgSeed } from '../seed/second-org';
import {
  ORG2_APP_USER,
  ORG2_BUSINESS_UNIT_ID,
  ORG2_CLIENT,
  ORG2_CURRENCY_ID,
  ORG2_ORG_ID,
  ORG2_SALES_USER,
  ORG2_TENANT_ID,
} from '../seed/second-org-constants';
import type { SerializedOrg } from '../store';
import { secondOrgTables } from '../tables/second-org';
import type { OrganizationProfile } from './organization-profile';

const schema = schemaOf(secondOrgTables);
let seedJson: string | null = null;

export const SECOND_ORG_PROFILE: OrganizationProfile = {
  name: 'org2',
  schema,
  seed: () => {
    seedJson ??= JSON.stringify(generateSecondOrgSeed(schema));
    return JSON.parse(seedJson) as SerializedOrg;
  },
  tenantId: ORG2_TENANT_ID,
  organizationId: ORG2_ORG_ID,
  users: [
    {
      username: ORG2_SALES_USER.username,
      password: ORG2_SALES_USER.password,
      objectId: ORG2_SALES_USER.objectId,
      name: `${ORG2_SALES_USER.firstname} ${ORG2_SALES_USER.lastname}`,
    },
  ],
  clients: [{ clientId: ORG2_CLIENT.clientId, clientSecret: ORG2_CLIENT.clientSecret, appObjectId: ORG2_APP_USER.objectId }],
  actor: { userId: ORG2_SALES_USER.systemuserid, businessUnitId: ORG2_BUSINESS_UNIT_ID, currencyId: ORG2_CURRENCY_ID },
};
