/**
 * Updated: changes to rows that existed before the cursor: through change tracking (delta tokens) where the table has it,
 * otherwise by `modifiedon` past a `(stamp, id)` cursor (poll.ts decides).
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows and
 * https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import { defineTrigger } from '../define';
import { recordTriggerConfigSchema } from './trigger-config';

export const recordUpdated = defineTrigger({
  event: 'updated',
  title: (t) => `Updated ${t.displayName.toLowerCase()}`,
  description: (t) => `Starts the flow for each change to an existing ${t.displayName.toLowerCase()}.`,
  docUrl: 'https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows',
  mode: 'poll',
  requiresChangeTracking: false,
  configurable: false,
  config: (table) => recordTriggerConfigSchema(table, true),
});
