/**
 * New: rows created after the cursor: through change tracking (delta tokens) where the table has it,
 * otherwise by `createdon` past a `(stamp, id)` cursor (poll.ts decides).
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows and
 * https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import { defineTrigger } from '../define';
import { recordTriggerConfigSchema } from './trigger-config';

export const recordCreated = defineTrigger({
  event: 'new',
  title: (t) => `New ${t.displayName.toLowerCase()}`,
  description: (t) => `Starts the flow for each ${t.displayName.toLowerCase()} created in Dynamics 365.`,
  docUrl: 'https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows',
  mode: 'poll',
  requiresChangeTracking: false,
  configurable: false,
  config: (table) => recordTriggerConfigSchema(table, true),
});
