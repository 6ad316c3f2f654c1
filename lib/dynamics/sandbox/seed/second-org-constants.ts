/**
 * Well-known identifiers of the sandbox's second organization (served under `<base>/org2`): its own
 * tenant, organization, directory user and app registration, so nothing of the first organization
 * signs in to it. Fixed, like the first organization's (seed/constants.ts), for stable tests and URLs.
 */
export const ORG2_PATH = 'org2';
export const ORG2_TENANT_ID = '8d3e1f20-6c4b-4d5a-9e72-1f6a9c4b3d82';
export const ORG2_ORG_ID = 'c0ffee00-5a9d-4b0c-8e1f-2d3c4b5a0002';
export const ORG2_BUSINESS_UNIT_ID = '2b2c3d4e-0001-4a00-8000-00000000b001';
export const ORG2_CURRENCY_ID = '2b2c3d4e-0002-4a00-8000-00000000c001';

export const ORG2_SALES_USER = {
  systemuserid: '2b2c3d4e-0003-4a00-8000-000000000001',
  objectId: '6f1e2d3c-4b5a-4968-8776-655443322110',
  username: 'sales@org2.sandbox.local',
  password: 'sandbox',
  firstname: 'Second',
  lastname: 'Sales',
} as const;

export const ORG2_APP_USER = {
  systemuserid: '2b2c3d4e-0003-4a00-8000-000000000002',
  objectId: '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716',
  firstname: '#',
  lastname: 'sandbox-org2-client',
} as const;

export const ORG2_CLIENT = { clientId: 'sandbox-org2-client', clientSecret: 'sandbox-org2-secret' } as const;
