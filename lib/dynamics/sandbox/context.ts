/**
 * Shared types: the runtime-adjustable configuration, the per-request URL bases and the
 * authenticated principal.
 */
export interface ServiceLimits {
  /** Requests per user per window (Dataverse: 6,000 per 300 s; https://learn.microsoft.com/power-apps/developer/data-platform/api-limits). */
  requests: number;
  /** Concurrent requests per user (Dataverse: 52). */
  concurrent: number;
  windowSeconds: number;
}

export interface SandboxConfig {
  tokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  authCodeLifetimeSeconds: number;
  limits: ServiceLimits;
  /** Largest accepted request body in bytes (413 beyond). */
  maxBodyBytes: number;
  /**
   * Change-tracking tokens older than this are rejected, like Dataverse's Organization.ExpireChangeTrackingInDays
   * (default 7; https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems).
   */
  changeTrackingRetentionDays: number;
}

export const defaultConfig = (): SandboxConfig => ({
  tokenLifetimeSeconds: 3600,
  refreshTokenLifetimeSeconds: 90 * 24 * 3600,
  authCodeLifetimeSeconds: 600,
  limits: { requests: 6000, concurrent: 52, windowSeconds: 300 },
  maxBodyBytes: 16 * 1024 * 1024,
  changeTrackingRetentionDays: 7,
});

/**
 * URL bases of one request, derived from its own scheme/host/port, so the absolute URLs in responses
 * (`@odata.context`, `@odata.nextLink`, `OData-EntityId`, `Location`) point back at the host the client called.
 */
export interface Bases {
  origin: string;
  /** origin + basePath, e.g. http://localhost:3000/sandbox — the service URL */
  service: string;
}

export interface Principal {
  systemuserid: string;
  objectId: string;
  businessUnitId: string;
  clientId: string;
  kind: 'user' | 'app';
}
