/**
 * Cursor for tables with change tracking (reference §6): Dataverse's delta token. Deleted rows
 * are only visible this way. The token advances only after every page of a delta was read, and
 * the runtime stores it with the enqueued events, so a crash re-reads the same delta.
 */
export interface DeltaCursor {
  kind: 'delta';
  deltaToken: string;
}
