/** Updated: rows modified after creation whose `modifiedon` is past the cursor. Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows */
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
