import type { Db } from '@/lib/db/database';
import { checkFlow } from '../model/check-flow';
import type { Problem } from '../model/problem';
import type { FlowDocument } from '../model/schema';

export interface ValidateFlowContext {
  db: Db;
  ownerId: string;
  signal?: AbortSignal;
}

export type ValidateFlowResult = { document?: FlowDocument; problems: Problem[] };

/**
 * Every problem of a stored or submitted document: migration and schema, structure, expression
 * syntax, and whether each step fits its account's metadata. What the editor shows, and what
 * starting a flow is refused with. (The metadata checks are being written; today: structure.)
 */
export async function validateFlow(_ctx: ValidateFlowContext, raw: unknown): Promise<ValidateFlowResult> {
  const result = checkFlow(raw);
  return result.ok ? { document: result.document, problems: [] } : { document: result.document, problems: result.problems };
}
