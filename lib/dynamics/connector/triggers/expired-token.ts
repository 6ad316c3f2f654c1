import { DataverseError } from '../../client/errors/dataverse-error';

/**
 * Dataverse keeps change-tracking data for `ExpireChangeTrackingInDays` (default 7): an older delta
 * token is refused with "Version stamp associated with the client has expired. Please perform a full
 * sync." (0x80044352); the sandbox answers with the same code and message.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
export function isExpiredDeltaToken(err: unknown): boolean {
  return err instanceof DataverseError && err.status === 400 && (err.code === '0x80044352' || /full sync/i.test(err.serviceMessage));
}
