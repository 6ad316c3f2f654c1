/** The Dataverse client: the only way the app talks to a Dynamics organization. */
export * from './types';
export { createDataverseClient } from './create-client';
export { DataverseError, isDataverseError, redact } from './errors/dataverse-error';
export { DUPLICATE_KEY_CODE } from './errors/error-table';
export {
  checkServiceUrl,
  checkIdentityEndpoint,
  defaultIdentityEndpoint,
  type UrlCheck,
  type ServiceUrlKind,
} from './url-safety/check-service-url';
export { assertResolvesPublic, type Resolver } from './url-safety/resolve-public';
export { parseAllowedHosts, allowedHostsFromConfig, isAllowListed } from './url-safety/allowed-hosts';
export { classifyAddress } from './url-safety/ip-ranges';
export { buildFilter } from './odata/filter';
export { assertName, assertGuid, assertNavigationProperty, NAME_PATTERN } from './odata/names';
export { quoteString, formatLiteral } from './odata/literals';
export { DEFAULT_RETRY_POLICY, backoffDelay } from './retry/policy';
export { MAX_CONCURRENCY, DEFAULT_CONCURRENCY } from './throttle/adaptive-limiter';
export { accountThrottle, forgetAccountThrottle } from './throttle/account-registry';
export type { Clock } from './clock';
