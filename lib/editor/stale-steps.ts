/**
 * Which steps' last test results no longer tell the truth: a step is stale when its own settings,
 * or those of any step it takes values from, changed since the test that produced its result (or
 * that upstream step is new since). Pure: the fingerprints are taken when a test starts.
 */
import { buildGraph } from '@/lib/flows/model/graph';
import type { FlowDocument } from '@/lib/flows/model/schema';
import type { EditorDocument, EditorNode } from './editor-document';

/** What a step's result depends on of the step itself: its type and parameters (not its name or position). */
export const stepFingerprint = (node: Pick<EditorNode, 'type' | 'params'>): string => JSON.stringify([node.type, node.params]);

/** The fingerprints of every step of the document, taken as a test starts. */
export const fingerprintsOf = (doc: EditorDocument): Map<string, string> => new Map(doc.nodes.map((n) => [n.id, stepFingerprint(n)]));

/**
 * @param tested  for each tested step, the fingerprints of the whole document when its result was produced
 */
export function staleSteps(doc: EditorDocument, tested: ReadonlyMap<string, ReadonlyMap<string, string>>): Set<string> {
  const stale = new Set<string>();
  if (tested.size === 0) return stale;
  const now = fingerprintsOf(doc);
  const graph = buildGraph(doc as unknown as FlowDocument);
  for (const [id, then] of tested) {
    if (!now.has(id)) continue;
    const changed = (x: string) => then.get(x) !== now.get(x);
    if (changed(id) || [...graph.ancestors(id)].some(changed)) stale.add(id);
  }
  return stale;
}
