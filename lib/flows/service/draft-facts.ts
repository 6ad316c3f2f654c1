import { checkFlow } from '../model/check-flow';
import { kindOf } from '../model/node-kinds';
import { draftDocumentSchema } from '../model/schema';
import { expressionSyntaxProblems } from '../validation/expression-syntax';
import { dedupeProblems } from '../validation/validate-flow';

/** What a list shows of a flow's draft, read from its document alone (no database, no Dynamics). */
export interface DraftFacts {
  triggerType: string | null;
  /** The accounts its Dynamics steps run as, in the order they first appear. */
  accountIds: string[];
  /** How many steps run as each account (a gone account is one problem per step, as validateFlow counts it). */
  stepsPerAccount: Record<string, number>;
  /** Problems of the document itself: migration and schema, structure, expression syntax. */
  problemCount: number;
}

/**
 * The facts of a stored draft. This is the part of validateFlow that needs no metadata: whether
 * each Dynamics step fits its account's tables and columns is checked by the editor and on start,
 * where it may ask Dataverse. A draft that does not parse as a finished flow is read as a draft
 * (its trigger and accounts are still shown).
 */
export function draftFactsOf(documentJson: string): DraftFacts {
  let raw: unknown;
  try {
    raw = JSON.parse(documentJson);
  } catch {
    return { triggerType: null, accountIds: [], stepsPerAccount: {}, problemCount: 1 };
  }
  const checked = checkFlow(raw);
  const nodes = checked.document?.nodes ?? draftDocumentSchema.safeParse(raw).data?.nodes ?? [];
  const trigger = nodes.find((n) => kindOf(n.type)?.category === 'trigger');
  const stepsPerAccount: Record<string, number> = {};
  for (const node of nodes) {
    const id = node.params.accountId;
    if (id) stepsPerAccount[id] = (stepsPerAccount[id] ?? 0) + 1;
  }
  const problems = dedupeProblems([
    ...(checked.ok ? [] : checked.problems),
    ...(checked.document ? expressionSyntaxProblems(checked.document) : []),
  ]);
  return { triggerType: trigger?.type ?? null, accountIds: Object.keys(stepsPerAccount), stepsPerAccount, problemCount: problems.length };
}

const MAX_CACHED = 5_000;
const cache = new Map<string, DraftFacts>();

/** The facts of a version already read, by the version row's id (a saved version never changes). */
export function knownDraftFacts(versionId: string): DraftFacts | undefined {
  const hit = cache.get(versionId);
  if (hit) {
    // Least recently used goes first: a hit moves to the back.
    cache.delete(versionId);
    cache.set(versionId, hit);
  }
  return hit;
}

/**
 * draftFactsOf, kept by the version row's id, so a list of large flows is neither read from the
 * database nor parsed again on every request while its drafts do not change.
 */
export function cachedDraftFacts(versionId: string, documentJson: string): DraftFacts {
  const known = knownDraftFacts(versionId);
  if (known) return known;
  const facts = draftFactsOf(documentJson);
  cache.set(versionId, facts);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return facts;
}
