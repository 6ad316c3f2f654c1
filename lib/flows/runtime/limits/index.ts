/** Installation-wide Dataverse limits over the database: see install-shared-limits.ts for the contract. */
export { installSharedLimits, type InstallSharedLimitsOptions, type InstalledSharedLimits } from './install-shared-limits';
export { DbSharedLimits, GATE_CACHE_MS } from './db-shared-limits';
export { HEARTBEAT_MS, WORKER_EXPIRY_MS } from './worker-heartbeat';
