import { describe, expect, it } from 'vitest';
import { addNode } from './document-ops';
import { emptyDocument } from './editor-document';
import { layoutPositions } from './auto-layout';

describe('layoutPositions', () => {
  it('lays a chain out left to right, and branches one above the other', async () => {
    let doc = emptyDocument();
    const t = addNode(doc, { type: 'manual.trigger', position: { x: 0, y: 0 } });
    const cond = addNode(t.doc, { type: 'toolbox.if', position: { x: 0, y: 0 }, after: { node: t.id, handle: 'next' } });
    const yes = addNode(cond.doc, { type: 'toolbox.log', position: { x: 0, y: 0 }, after: { node: cond.id, handle: 'then' } });
    const no = addNode(yes.doc, { type: 'toolbox.log', position: { x: 0, y: 0 }, after: { node: cond.id, handle: 'else' } });
    doc = no.doc;
    const p = await layoutPositions(doc);
    expect(p[t.id]!.x).toBeLessThan(p[cond.id]!.x);
    expect(p[cond.id]!.x).toBeLessThan(p[yes.id]!.x);
    expect(p[yes.id]!.x).toBe(p[no.id]!.x);
    expect(p[yes.id]!.y).not.toBe(p[no.id]!.y);
  });
});
