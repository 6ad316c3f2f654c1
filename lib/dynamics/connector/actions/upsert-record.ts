/**
 * Update or create. By id or by alternate key it is one `PATCH entityset(<key>)` (Dataverse's
 * upsert; `If-None-Match: *` for create-only, `If-Match: *` for update-only) and Dataverse says
 * which happened. By conditions: more than one match fails with nothing written, one match is
 * updated, none creates (with a primary key derived from the run step, so a retry cannot create
 * twice).
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/use-upsert-insert-update-record
 */
import { z } from 'zod';
import type { RowKey } from '../../client/types';
import type { TableSchema } from '../../metadata/types';
import { defineAction } from '../define';
import { ActionError } from '../errors';
import { fieldsSchema } from '../form/column-schema';
import { matchSchema, type MatchInput } from '../form/match-schema';
import { keyedCreate } from './keyed-create';
import { toFilter } from '../query/conditions';
import { findMatchingIds } from '../query/find-matches';
import { resolveChoice, type ChoiceInput } from '../values/choice-value';
import { toRecord } from '../values/to-record';

export type UpsertMode = 'upsert' | 'create_only' | 'update_only';

export interface UpsertRecordInput {
  match: MatchInput;
  mode: UpsertMode;
  fields: Record<string, unknown>;
}

const clientMode = { upsert: 'upsert', create_only: 'createOnly', update_only: 'updateOnly' } as const;

/** The alternate key's values, taken from the fields (choice labels resolved to values). */
function alternateKey(table: TableSchema, keyName: string, fields: Record<string, unknown>): RowKey {
  const key = table.alternateKeys.find((k) => k.logicalName === keyName);
  if (!key) throw new ActionError('invalid_input', `${table.displayName} has no alternate key "${keyName}".`);
  const values: Record<string, string | number> = {};
  for (const name of key.columns) {
    const column = table.columns.find((c) => c.logicalName === name);
    const value = fields[name];
    if (!column || value === undefined || value === null || value === '') {
      throw new ActionError(
        'invalid_input',
        `Matching by ${key.displayName} needs a value for ${column?.displayName ?? name} in the fields.`,
      );
    }
    if (column.type === 'choice' || column.type === 'state' || column.type === 'status')
      values[name] = resolveChoice(column, value as ChoiceInput);
    else if (typeof value === 'string' || typeof value === 'number') values[name] = value;
    else
      throw new ActionError(
        'invalid_input',
        `${column.displayName} cannot be part of an alternate key match here (its value is not text or a number).`,
      );
  }
  return { alternateKey: values };
}

export const upsertRecord = defineAction({
  kind: 'upsert',
  title: (t) => `Update or create ${t.displayName.toLowerCase()}`,
  description: (t) =>
    `Updates the ${t.displayName.toLowerCase()} found by id, alternate key or conditions, or creates it when there is none.`,
  docUrl: 'https://learn.microsoft.com/power-apps/developer/data-platform/use-upsert-insert-update-record',
  sideEffect: 'write',
  idempotency: 'key',
  retrySafety:
    'Addressed by its key (id or alternate key), a repeated upsert updates the record the first try created; by conditions, a create uses a primary key derived from the run step. After a lost answer the retry reports "updated" for a record the first try created: Dataverse cannot tell them apart.',
  input: (table, directory) =>
    z.strictObject({
      match: matchSchema(table, ['id', 'alternate_key', 'conditions'], { maxMatches: false }),
      mode: z
        .enum(['upsert', 'create_only', 'update_only'])
        .default('upsert')
        .meta({
          title: 'Mode',
          'x-widget': 'select',
          'x-choices': [
            { value: 'upsert', label: 'Update or create' },
            { value: 'create_only', label: 'Create only (fail if it exists)' },
            { value: 'update_only', label: 'Update only (fail if it does not exist)' },
          ],
        }),
      fields: fieldsSchema(table, directory, 'upsert'),
    }) as unknown as z.ZodType<UpsertRecordInput>,
  output: (table) =>
    z.object({
      id: z.string().meta({ title: `${table.displayName} id` }),
      outcome: z.enum(['created', 'updated']).meta({ title: 'Created or updated' }),
    }),
  run: async (ctx, input) => {
    const { client, table, directory, signal } = ctx;
    const data = toRecord(table, directory, input.fields, 'upsert');
    const { match } = input;
    if (match.by === 'id' || match.by === 'alternate_key') {
      const key: RowKey = match.by === 'id' ? { id: (match.id ?? '').toLowerCase() } : alternateKey(table, match.key ?? '', input.fields);
      const result = await client.upsert(table.entitySetName, key, data, { mode: clientMode[input.mode], signal });
      return { id: result.id, outcome: result.created ? ('created' as const) : ('updated' as const) };
    }
    if (!match.conditions) throw new ActionError('invalid_input', 'Give at least one condition.');
    const { ids, exceeded } = await findMatchingIds(client, table, toFilter(table, match.conditions), 1, signal);
    const [found] = ids;
    if (exceeded)
      throw new ActionError(
        'ambiguous_match',
        `More than one ${table.displayName.toLowerCase()} matches the conditions, so nothing was written. Narrow the conditions.`,
      );
    if (found) {
      if (input.mode === 'create_only')
        throw new ActionError(
          'already_exists',
          `A ${table.displayName.toLowerCase()} matching the conditions already exists (${found}); nothing was written.`,
        );
      await client.update(table.entitySetName, { id: found }, data, { signal });
      return { id: found, outcome: 'updated' as const };
    }
    if (input.mode === 'update_only')
      throw new ActionError('no_match', `No ${table.displayName.toLowerCase()} matches the conditions; nothing was written.`);
    return { id: await keyedCreate(client, table, data, ctx.idempotencyKey, signal), outcome: 'created' as const };
  },
});
