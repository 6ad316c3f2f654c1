/**
 * Cursor for tables with change tracking: Dataverse's delta token. Deleted rows
 * are only visible this way. The token advances only after every page of a delta was read, and
 * the runtime stores it with the enqueued events, so a crash re-reads the same delta.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
export interface DeltaCursor {
  kind: 'delta';
  deltaToken: string;
}
