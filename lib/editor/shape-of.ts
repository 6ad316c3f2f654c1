/**
 * A document's "shape": everything but where its steps sit. A drag changes positions 60 times a
 * second and nothing else, so what depends only on the shape (problems, mapping sources, stale
 * marks, the tables to describe) is computed again only when the shape changes. The document ops
 * keep an unchanged step's `params` object and the edge list by reference, so comparing references
 * is enough and costs O(steps) per change, not a serialisation. Pure.
 */
import type { EditorDocument, EditorNode } from './editor-document';

const sameNode = (a: EditorNode, b: EditorNode) =>
  a === b || (a.id === b.id && a.type === b.type && a.typeVersion === b.typeVersion && a.name === b.name && a.params === b.params);

/** Whether `next` differs from `previous` in positions at most. */
export function sameShape(previous: EditorDocument, next: EditorDocument): boolean {
  if (previous === next) return true;
  if (previous.edges !== next.edges || previous.name !== next.name || previous.description !== next.description) return false;
  if (previous.nodes.length !== next.nodes.length) return false;
  return previous.nodes.every((n, i) => sameNode(n, next.nodes[i]!));
}

/** Keeps handing out the first document of a run of same-shaped ones: a stable input for memos. */
export function shapeTracker(): (doc: EditorDocument) => EditorDocument {
  let current: EditorDocument | undefined;
  return (doc) => {
    if (!current || !sameShape(current, doc)) current = doc;
    return current;
  };
}
