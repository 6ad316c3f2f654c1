import { describe, expect, it } from 'vitest';
import { templateCatalog } from '@/lib/templates/template-catalog';
import { flowOutline, OUTLINE_NODE, outlineOrder } from './flow-outline';

const doc = {
  nodes: [
    { id: 'b', type: 'toolbox.if', name: 'Is it big?', position: { x: 360, y: 140 } },
    { id: 't', type: 'dynamics.lead.new', name: 'Lead created', position: { x: 100, y: 140 } },
    { id: 'u', type: 'dynamics.lead.update', position: { x: 620, y: 40 } },
    { id: 'l', type: 'toolbox.log', name: 'Log it', position: { x: 620, y: 240 } },
  ],
  edges: [
    { from: { node: 't', handle: 'next' }, to: { node: 'b' } },
    { from: { node: 'b', handle: 'then' }, to: { node: 'u' } },
    { from: { node: 'b', handle: 'else' }, to: { node: 'l' } },
    { from: { node: 'b', handle: 'else' }, to: { node: 'gone' } },
  ],
};

describe('flowOutline', () => {
  it('moves the steps to the origin, names their kinds and keeps the edges between existing steps', () => {
    const outline = flowOutline(doc);
    expect(outline.nodes.map((n) => [n.id, n.kind, n.x, n.y])).toEqual([
      ['b', 'branch', 260, 100],
      ['t', 'trigger', 0, 100],
      ['u', 'dynamics', 520, 0],
      ['l', 'step', 520, 200],
    ]);
    expect(outline.edges).toEqual([
      { from: 't', to: 'b', handle: 'next' },
      { from: 'b', to: 'u', handle: 'then' },
      { from: 'b', to: 'l', handle: 'else' },
    ]);
    expect(outline.width).toBe(520 + OUTLINE_NODE.width);
    expect(outline.height).toBe(200 + OUTLINE_NODE.height);
    // A step without a name is called by its kind's title.
    expect(outline.nodes.find((n) => n.id === 'u')!.name).not.toBe('');
  });

  it('lists the steps in the order they run, from the trigger', () => {
    expect(outlineOrder(flowOutline(doc)).map((n) => n.id)).toEqual(['t', 'b', 'u', 'l']);
  });

  it('draws nothing for an empty flow', () => {
    expect(flowOutline({ nodes: [], edges: [] })).toEqual({ nodes: [], edges: [], width: 0, height: 0 });
  });

  it('outlines every template: one trigger first, every step reached', () => {
    for (const t of templateCatalog().templates) {
      const outline = flowOutline(t.portable.flow);
      const order = outlineOrder(outline);
      expect(order[0]!.kind, t.id).toBe('trigger');
      expect(order).toHaveLength(t.portable.flow.nodes.length);
      expect(outline.edges).toHaveLength(t.portable.flow.edges.length);
    }
  });
});
