/**
 * Well-known identifiers of the sandbox organization. Fixed so that tokens, URLs and tests are
 * stable across restarts and resets.
 */
export const SANDBOX_TENANT_ID = '5a4d0c1e-7b3f-4e2a-9c61-0d5b8f3a2e71';
export const SANDBOX_ORG_ID = 'c0ffee00-5a9d-4b0c-8e1f-2d3c4b5a6978';
export const SANDBOX_BUSINESS_UNIT_ID = '1b2c3d4e-0001-4a00-8000-00000000b001';
export const SANDBOX_CURRENCY_ID = '1b2c3d4e-0002-4a00-8000-00000000c001';
export const SANDBOX_EUR_CURRENCY_ID = '1b2c3d4e-0002-4a00-8000-00000000c002';

export const SALES_USER = {
  systemuserid: '1b2c3d4e-0003-4a00-8000-000000000001',
  objectId: '7e1f0c2a-3b4d-4c5e-8f60-718293a4b5c6',
  username: 'sales@sandbox.local',
  password: 'sandbox',
  firstname: 'Sandbox',
  lastname: 'Sales',
} as const;

/**
 * Directory users for the failure paths a real tenant has: one whose sign-in requires multi-factor
 * authentication (the password grant fails with AADSTS50076; the interactive sign-in page works), and
 * one that exists in the directory but has no user in the Dynamics organization (the Web API answers
 * 403 0x80072560).
 */
export const MFA_USER = {
  username: 'mfa@sandbox.local',
  password: 'sandbox',
  objectId: '3c4d5e6f-7081-4a92-8b3c-4d5e6f708192',
  name: 'Multi-factor User',
} as const;
export const NO_ACCESS_USER = {
  username: 'noaccess@sandbox.local',
  password: 'sandbox',
  objectId: '4d5e6f70-8192-4ba3-9c4d-5e6f708192a3',
  name: 'Directory-only User',
} as const;

/**
 * The application user that client_credentials tokens map to: app-only access needs an application user
 * in Dataverse (https://learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth).
 */
export const APP_USER = {
  systemuserid: '1b2c3d4e-0003-4a00-8000-000000000002',
  objectId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  firstname: '#',
  lastname: 'sandbox-client',
} as const;

export const SANDBOX_CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' } as const;
