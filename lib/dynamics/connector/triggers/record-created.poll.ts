/** New: rows whose `createdon` is past the cursor. Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows */
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
