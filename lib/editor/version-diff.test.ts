import { describe, expect, it } from 'vitest';
import { addNode, moveNodes, removeNodes, setInput } from './document-ops';
import { emptyDocument } from './editor-document';
import { diffVersions } from './version-diff';

describe('diffVersions', () => {
  it('finds added, removed and changed steps and connections, ignoring moves', () => {
    const t = addNode(emptyDocument(), { type: 'manual.trigger', position: { x: 0, y: 0 } });
    const a = addNode(t.doc, {
      type: 'toolbox.log',
      position: { x: 1, y: 0 },
      inputs: { message: 'a' },
      after: { node: t.id, handle: 'next' },
    });
    const b = addNode(a.doc, {
      type: 'toolbox.log',
      position: { x: 2, y: 0 },
      inputs: { message: 'b' },
      after: { node: a.id, handle: 'next' },
    });
    const before = b.doc;
    let after = moveNodes(before, { [t.id]: { x: 100, y: 100 } });
    after = setInput(after, a.id, ['message'], 'changed');
    after = removeNodes(after, [b.id]);
    const c = addNode(after, {
      type: 'toolbox.fail',
      position: { x: 3, y: 0 },
      inputs: { message: 'x' },
      after: { node: a.id, handle: 'next' },
    });
    const d = diffVersions(before, c.doc);
    expect(Object.fromEntries(d.steps)).toEqual({ [a.id]: 'changed', [b.id]: 'removed', [c.id]: 'added' });
    expect(d.edgesAdded).toHaveLength(1);
    expect(d.edgesRemoved).toHaveLength(1);
    expect(d.merged.nodes.map((n) => n.id).sort()).toEqual([t.id, a.id, b.id, c.id].sort());
    expect(d.summary).toBe('1 step added, 1 step removed, 1 step changed, 1 connection added, 1 connection removed');
    expect(diffVersions(before, before).summary).toBe('No differences');
    // The removed step does not sit under the step added in its place.
    const removedAt = d.merged.nodes.find((n) => n.id === b.id)!.position;
    const addedAt = d.merged.nodes.find((n) => n.id === c.id)!.position;
    expect(Math.abs(removedAt.y - addedAt.y) >= 90 || Math.abs(removedAt.x - addedAt.x) >= 200).toBe(true);
  });
});
