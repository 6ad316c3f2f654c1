import type { ActionContext } from '../define';
import { ActionError } from '../errors';
import type { MatchInput } from '../form/match-schema';
import { toFilter } from './conditions';
import { findMatchingIds } from './find-matches';
import { DEFAULT_MAX_MATCHES } from './limits';

/**
 * The ids a by-id or by-conditions Update/Delete will touch. Over the limit → `too_many_matches`
 * before anything is written (the whole point of the limit).
 */
export async function resolveMatchIds(ctx: ActionContext, match: MatchInput, verb: 'update' | 'delete'): Promise<string[]> {
  if (match.by === 'id' && match.id) return [match.id.toLowerCase()];
  if (match.by !== 'conditions' || !match.conditions)
    throw new ActionError('invalid_input', `Say which ${ctx.table.displayName.toLowerCase()} to ${verb}.`);
  const limit = match.maxMatches ?? DEFAULT_MAX_MATCHES;
  const { ids, exceeded } = await findMatchingIds(ctx.client, ctx.table, toFilter(ctx.table, match.conditions), limit, ctx.signal);
  if (exceeded) {
    throw new ActionError(
      'too_many_matches',
      `More than ${limit} ${ctx.table.displayCollectionName.toLowerCase()} match the conditions, so none was ${verb === 'update' ? 'updated' : 'deleted'}. Narrow the conditions or raise the limit.`,
    );
  }
  return ids;
}
