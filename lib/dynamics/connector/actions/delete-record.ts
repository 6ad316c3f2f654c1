/**
 * Delete: by id, or every row matching conditions up to a limit (counted first; over the limit
 * nothing is deleted). On a retry (attempt > 1) a row that is already gone counts as deleted: the
 * earlier attempt most likely deleted it and lost the answer.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#basic-delete
 */
import { z } from 'zod';
import { defineAction } from '../define';
import { matchSchema, type MatchInput } from '../form/match-schema';
import { resolveMatchIds } from '../query/resolve-match';

export interface DeleteRecordInput {
  match: MatchInput;
}

const isNotFound = (err: unknown) => typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 404;

export const deleteRecord = defineAction({
  kind: 'delete',
  title: (t) => `Delete ${t.displayName.toLowerCase()}`,
  description: (t) => `Deletes a ${t.displayName.toLowerCase()} found by id, or every one matching conditions up to a limit.`,
  docUrl: 'https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#basic-delete',
  sideEffect: 'write',
  idempotency: 'natural',
  retrySafety: 'Deleting twice has the same effect as once: on a retry, "not found" counts as already deleted.',
  input: (table) =>
    z.strictObject({ match: matchSchema(table, ['id', 'conditions'], { maxMatches: true }) }) as unknown as z.ZodType<DeleteRecordInput>,
  output: () =>
    z.object({
      deleted: z.number().meta({ title: 'Records deleted' }),
      ids: z.array(z.string()).meta({ title: 'Ids of the deleted records' }),
    }),
  run: async (ctx, input) => {
    const ids = await resolveMatchIds(ctx, input.match, 'delete');
    const deleted: string[] = [];
    for (const id of ids) {
      try {
        await ctx.client.delete(ctx.table.entitySetName, { id }, ctx.signal);
        deleted.push(id);
      } catch (err) {
        if (!(isNotFound(err) && ((ctx.attempt ?? 1) > 1 || input.match.by === 'conditions'))) throw err;
        // By conditions, a row deleted meanwhile by someone else is equally gone.
        if ((ctx.attempt ?? 1) > 1) deleted.push(id);
      }
    }
    return { deleted: deleted.length, ids: deleted };
  },
});
