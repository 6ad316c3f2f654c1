/**
 * "Which rows?" for Update, Delete and Update or create: by id, by an alternate key, or by
 * conditions. A flat object with a `by` selector (rather than a union) so the editor shows one
 * select and the fields of the chosen way; `x-visible-when` tells it which fields belong to which.
 */
import { z } from 'zod';
import type { TableSchema } from '../../metadata/types';
import { conditionFieldsMeta, conditionGroupSchema, type ConditionGroupInput } from '../query/conditions';
import { DEFAULT_MAX_MATCHES, MAX_MATCHES_CEILING } from '../query/limits';
import { guidSchema } from './column-schema';

export type MatchBy = 'id' | 'alternate_key' | 'conditions';

export interface MatchInput {
  by: MatchBy;
  id?: string;
  key?: string;
  conditions?: ConditionGroupInput;
  maxMatches?: number;
}

const labels: Record<MatchBy, string> = { id: 'By record id', alternate_key: 'By alternate key', conditions: 'By conditions' };

export function matchSchema(table: TableSchema, ways: readonly MatchBy[], options: { maxMatches: boolean }): z.ZodType<MatchInput> {
  const available = ways.filter((w) => w !== 'alternate_key' || table.alternateKeys.length > 0);
  const when = (by: MatchBy) => ({ field: 'match.by', equals: by });
  const shape: Record<string, z.ZodType> = {
    by: z
      .enum(available as [MatchBy, ...MatchBy[]])
      .meta({ title: 'Find the record', 'x-widget': 'select', 'x-choices': available.map((w) => ({ value: w, label: labels[w] })) }),
    id: guidSchema.optional().meta({ title: `${table.displayName} id`, 'x-widget': 'guid', 'x-visible-when': when('id') }),
  };
  if (available.includes('alternate_key')) {
    const keys = table.alternateKeys.map((k) => k.logicalName) as [string, ...string[]];
    shape.key = z
      .enum(keys)
      .optional()
      .meta({
        title: 'Alternate key',
        description: "The key's columns are taken from the fields below.",
        'x-widget': 'select',
        'x-choices': table.alternateKeys.map((k) => ({ value: k.logicalName, label: `${k.displayName} (${k.columns.join(', ')})` })),
        'x-visible-when': when('alternate_key'),
      });
  }
  if (available.includes('conditions')) {
    shape.conditions = conditionGroupSchema(table)
      .optional()
      .meta({
        title: 'Conditions',
        'x-widget': 'conditions',
        'x-condition-fields': conditionFieldsMeta(table),
        'x-visible-when': when('conditions'),
      });
  }
  if (options.maxMatches && available.includes('conditions')) {
    shape.maxMatches = z
      .number()
      .int()
      .min(1)
      .max(MAX_MATCHES_CEILING)
      .default(DEFAULT_MAX_MATCHES)
      .meta({
        title: 'At most this many matching records',
        description: 'When more records match, the step fails and nothing is changed.',
        'x-widget': 'number',
        'x-visible-when': when('conditions'),
      });
  }
  return (z.strictObject(shape) as unknown as z.ZodType<MatchInput>)
    .superRefine((m, ctx) => {
      if (m.by === 'id' && !m.id) ctx.addIssue({ code: 'custom', path: ['id'], message: 'Give the record id.' });
      if (m.by === 'alternate_key' && !m.key) ctx.addIssue({ code: 'custom', path: ['key'], message: 'Choose the alternate key.' });
      if (m.by === 'conditions' && !m.conditions)
        ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'Give at least one condition.' });
    })
    .meta({ title: 'Record', 'x-group': 'match' });
}
