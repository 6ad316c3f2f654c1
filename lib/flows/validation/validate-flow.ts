import type { Db } from '@/lib/db/database';
import { checkFlow } from '../model/check-flow';
import type { Problem } from '../model/problem';
import type { FlowDocument } from '../model/schema';
import { expressionSyntaxProblems } from './expression-syntax';
import { loadFlowMetadata, type LoadMetadataDeps } from './load-metadata';
import { mappedValueProblems } from './mapped-value-checks';
import { metadataProblems } from './metadata-checks';

export interface ValidateFlowContext {
  db: Db;
  ownerId: string;
  signal?: AbortSignal;
}

export type ValidateFlowResult = { document?: FlowDocument; problems: Problem[] };

/** The same problem found twice (by two checks, or twice by one) is shown once. */
export function dedupeProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.nodeId ?? '', p.field ?? '', p.code, p.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Every problem of a stored or submitted document: migration and schema, structure, expression
 * syntax, and whether each Dynamics step fits its account's metadata (accounts, tables, columns,
 * value types, choices, lookups, required columns, conditions, values mapped from the trigger's record). What the editor shows, and what
 * starting a flow is refused with. A document that does not parse gets only its parse problems.
 */
export async function validateFlow(ctx: ValidateFlowContext, raw: unknown): Promise<ValidateFlowResult> {
  return validateFlowWith(ctx, raw, {});
}

/** validateFlow with the metadata cache and the account client chosen by the caller (tests, a request-scoped cache). */
export async function validateFlowWith(ctx: ValidateFlowContext, raw: unknown, deps: LoadMetadataDeps): Promise<ValidateFlowResult> {
  const result = checkFlow(raw);
  const document = result.document;
  if (!document) return { problems: result.ok ? [] : result.problems };
  const structural = result.ok ? [] : result.problems;
  const metadata = await loadFlowMetadata(ctx, document, deps);
  return {
    document,
    problems: dedupeProblems([
      ...structural,
      ...expressionSyntaxProblems(document),
      ...metadataProblems(document, metadata),
      ...mappedValueProblems(document, metadata),
    ]),
  };
}
