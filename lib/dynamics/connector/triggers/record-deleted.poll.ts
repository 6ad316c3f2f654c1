/**
 * Deleted: only visible through change tracking (`Prefer: odata.track-changes`, delta tokens), so
 * offered only for tables with ChangeTrackingEnabled.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import { defineTrigger } from '../define';
import { recordTriggerConfigSchema } from './trigger-config';

export const recordDeleted = defineTrigger({
  event: 'deleted',
  title: (t) => `Deleted ${t.displayName.toLowerCase()}`,
  description: (t) => `Starts the flow for each ${t.displayName.toLowerCase()} deleted (needs change tracking on the table).`,
  docUrl: 'https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems',
  mode: 'poll',
  requiresChangeTracking: true,
  configurable: true,
  // Change tracking refuses $filter (and $orderby, $expand, $top), so Deleted takes no conditions.
  config: (table) => recordTriggerConfigSchema(table, false),
});
