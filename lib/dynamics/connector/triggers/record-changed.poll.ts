/**
 * New or updated: every row created or changed after the cursor: through change tracking (delta tokens) where the table has it,
 * otherwise by `modifiedon` past a `(stamp, id)` cursor (poll.ts decides).
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows and
 * https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import { defineTrigger } from '../define';
import { recordTriggerConfigSchema } from './trigger-config';

export const recordChanged = defineTrigger({
  event: 'new_or_updated',
  title: (t) => `New or updated ${t.displayName.toLowerCase()}`,
  description: (t) => `Starts the flow for each ${t.displayName.toLowerCase()} created or changed.`,
  docUrl: 'https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows',
  mode: 'poll',
  requiresChangeTracking: false,
  configurable: true,
  config: (table) => recordTriggerConfigSchema(table, true),
});
