/** New or updated: every row whose `modifiedon` is past the cursor. Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows */
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
