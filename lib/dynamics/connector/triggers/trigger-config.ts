import { z } from 'zod';
import type { TableSchema } from '../../metadata/types';
import type { EventKind } from '../define';
import { conditionFieldsMeta, conditionGroupSchema, readableColumns, toFilter, type ConditionGroupInput } from '../query/conditions';
import type { PollConfig } from './poll-types';

export const MIN_INTERVAL_SECONDS = 60;
export const DEFAULT_INTERVAL_SECONDS = 300;

export interface RecordTriggerConfig {
  intervalSeconds: number;
  columns?: string[];
  conditions?: ConditionGroupInput;
}

/** The event's settings form: interval, columns to return and (not for Deleted) conditions. */
export function recordTriggerConfigSchema(table: TableSchema, withConditions: boolean): z.ZodType<RecordTriggerConfig> {
  const names = readableColumns(table).map((c) => c.logicalName) as [string, ...string[]];
  const shape: Record<string, z.ZodType> = {
    intervalSeconds: z
      .number()
      .int()
      .min(MIN_INTERVAL_SECONDS)
      .max(86_400)
      .default(DEFAULT_INTERVAL_SECONDS)
      .meta({ title: 'Check every (seconds)', description: `At least ${MIN_INTERVAL_SECONDS} seconds.`, 'x-widget': 'number' }),
  };
  if (withConditions) {
    shape.columns = z
      .array(z.enum(names))
      .max(200)
      .optional()
      .meta({
        title: 'Columns to return',
        'x-widget': 'columns',
        'x-choices': readableColumns(table).map((c) => ({ value: c.logicalName, label: c.displayName })),
      });
    shape.conditions = conditionGroupSchema(table)
      .optional()
      .meta({ title: 'Only records that match', 'x-widget': 'conditions', 'x-condition-fields': conditionFieldsMeta(table) });
  }
  return z.strictObject(shape) as unknown as z.ZodType<RecordTriggerConfig>;
}

/** Validated settings → what `poll` needs. */
export function toPollConfig(table: TableSchema, event: EventKind, config: RecordTriggerConfig): PollConfig {
  const out: PollConfig = {
    table: { logicalName: table.logicalName, entitySetName: table.entitySetName, primaryIdAttribute: table.primaryIdAttribute },
    event,
  };
  if (table.changeTrackingEnabled) out.changeTracking = true;
  if (config.columns?.length) out.columns = config.columns;
  if (config.conditions) out.filter = toFilter(table, config.conditions);
  return out;
}
