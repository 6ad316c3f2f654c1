/**
 * Update: PATCH with `If-Match: *` (the client's update never creates a row), by id or for every
 * row matching conditions up to a limit. Rows are counted before the first write, so over the
 * limit nothing is written.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#basic-update
 */
import { z } from 'zod';
import { defineAction } from '../define';
import { fieldsSchema } from '../form/column-schema';
import { matchSchema, type MatchInput } from '../form/match-schema';
import { resolveMatchIds } from '../query/resolve-match';
import { toRecord } from '../values/to-record';

export interface UpdateRecordInput {
  match: MatchInput;
  fields: Record<string, unknown>;
}

export const updateRecord = defineAction({
  kind: 'update',
  title: (t) => `Update ${t.displayName.toLowerCase()}`,
  description: (t) => `Updates a ${t.displayName.toLowerCase()} found by id, or every one matching conditions up to a limit.`,
  docUrl: 'https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#basic-update',
  sideEffect: 'write',
  idempotency: 'natural',
  retrySafety: 'Sets the same values again on retry; a PATCH with If-Match: * never creates a record.',
  input: (table, directory) =>
    z.strictObject({
      match: matchSchema(table, ['id', 'conditions'], { maxMatches: true }),
      fields: fieldsSchema(table, directory, 'update'),
    }) as unknown as z.ZodType<UpdateRecordInput>,
  output: () =>
    z.object({
      updated: z.number().meta({ title: 'Records updated' }),
      ids: z.array(z.string()).meta({ title: 'Ids of the updated records' }),
    }),
  run: async (ctx, input) => {
    const data = toRecord(ctx.table, ctx.directory, input.fields, 'update');
    const ids = await resolveMatchIds(ctx, input.match, 'update');
    // Sequential on purpose: the client's per-account concurrency is for independent steps, and a
    // failure part-way leaves a clear "updated N of M" in the error path rather than a race.
    for (const id of ids) await ctx.client.update(ctx.table.entitySetName, { id }, data, { signal: ctx.signal });
    return { updated: ids.length, ids };
  },
});
