/** Public API of the Dynamics 365 sandbox. */
export { createSandbox, dropResponse, isDropResponse, type Sandbox, type SandboxOptions } from './handler';
export type { SandboxConfig, ServiceLimits } from './context';
export { SandboxCore } from './sandbox-core';
export type { FaultRule } from './faults';
export type { LoggedRequest } from './request-log';
export {
  APP_USER,
  SALES_USER,
  MFA_USER,
  NO_ACCESS_USER,
  SANDBOX_BUSINESS_UNIT_ID,
  SANDBOX_CLIENT,
  SANDBOX_CURRENCY_ID,
  SANDBOX_ORG_ID,
  SANDBOX_TENANT_ID,
} from './seed/constants';
export { ORG2_CLIENT, ORG2_ORG_ID, ORG2_PATH, ORG2_SALES_USER, ORG2_TENANT_ID } from './seed/second-org-constants';
export { serveNode, type NodeServer } from './node-adapter';
