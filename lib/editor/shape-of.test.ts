import { describe, expect, it } from 'vitest';
import { addNode, moveNodes, renameNode, setInput } from './document-ops';
import type { EditorDocument } from './editor-document';
import { sameShape, shapeTracker } from './shape-of';

const empty: EditorDocument = { schemaVersion: 2, name: 'f', description: '', nodes: [], edges: [] } as unknown as EditorDocument;
const { doc: one, id } = addNode(empty, { type: 'manual.trigger', position: { x: 0, y: 0 } });
const { doc: two, id: logId } = addNode(one, { type: 'toolbox.log', position: { x: 300, y: 0 } });

describe('the shape of a document', () => {
  it('moving steps keeps the shape; renaming, editing an input or adding a step changes it', () => {
    expect(sameShape(two, moveNodes(two, { [id]: { x: 40, y: 40 }, [logId]: { x: 1, y: 2 } }))).toBe(true);
    expect(sameShape(two, renameNode(two, logId, 'Say hi'))).toBe(false);
    expect(sameShape(two, setInput(two, logId, ['message'], 'hi'))).toBe(false);
    expect(sameShape(one, two)).toBe(false);
    expect(sameShape(two, { ...two, name: 'other' })).toBe(false);
  });

  it('the tracker hands out the same object through a drag, a new one after a real change', () => {
    const track = shapeTracker();
    const first = track(two);
    let moved = two;
    for (let i = 0; i < 5; i++) {
      moved = moveNodes(moved, { [logId]: { x: i, y: i } });
      expect(track(moved)).toBe(first);
    }
    const renamed = renameNode(moved, logId, 'x');
    expect(track(renamed)).toBe(renamed);
  });
});
