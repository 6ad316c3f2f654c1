import { describe, expect, it } from 'vitest';
import { addNode, moveNodes, setInput } from './document-ops';
import { emptyDocument } from './editor-document';
import { createEditorStore, hasUnsavedChanges } from './editor-store';

const store = () => createEditorStore({ flowId: 'f1', doc: emptyDocument('x'), version: 1 });

describe('editor store', () => {
  it('undo and redo walk the history of edits', () => {
    const s = store();
    let id = '';
    s.getState().edit((d) => {
      const r = addNode(d, { type: 'manual.trigger', position: { x: 0, y: 0 } });
      id = r.id;
      return r.doc;
    });
    s.getState().edit((d) => addNode(d, { type: 'toolbox.log', position: { x: 1, y: 1 }, after: { node: id, handle: 'next' } }).doc);
    expect(s.getState().doc.nodes).toHaveLength(2);
    s.getState().undo();
    expect(s.getState().doc.nodes).toHaveLength(1);
    s.getState().undo();
    expect(s.getState().doc.nodes).toHaveLength(0);
    s.getState().undo(); // nothing more
    s.getState().redo();
    s.getState().redo();
    expect(s.getState().doc.nodes).toHaveLength(2);
    expect(s.getState().save.status).toBe('dirty');
  });

  it('typing in one field is one undo step; a drag is one undo step', () => {
    const s = store();
    let id = '';
    s.getState().edit((d) => {
      const r = addNode(d, { type: 'toolbox.log', position: { x: 0, y: 0 } });
      id = r.id;
      return r.doc;
    });
    for (const text of ['H', 'He', 'Hel', 'Hello'])
      s.getState().edit((d) => setInput(d, id, ['message'], text), { coalesce: `${id}:message` });
    s.getState().beginGesture();
    for (let x = 1; x <= 20; x++) s.getState().edit((d) => moveNodes(d, { [id]: { x, y: 0 } }));
    s.getState().endGesture();
    expect(s.getState().past).toHaveLength(3); // add, typing, drag
    s.getState().undo();
    expect(s.getState().doc.nodes[0]!.position).toEqual({ x: 0, y: 0 });
    s.getState().undo();
    expect(s.getState().doc.nodes[0]!.params.inputs).toEqual({});
  });

  it('knows what is unsaved: a save of an older document leaves later edits dirty', () => {
    const s = store();
    s.getState().edit((d) => addNode(d, { type: 'manual.trigger', position: { x: 0, y: 0 } }).doc);
    const sent = s.getState().doc;
    s.getState().saving();
    s.getState().edit((d) => ({ ...d, name: 'renamed' }));
    s.getState().saved(sent, 2, []);
    expect(s.getState().baseVersion).toBe(2);
    expect(s.getState().save.status).toBe('dirty');
    expect(hasUnsavedChanges(s.getState())).toBe(true);
  });
});
