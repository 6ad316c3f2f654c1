import { describe, expect, it } from 'vitest';
import { nodeNamesOf } from './node-names';

describe('nodeNamesOf', () => {
  it('maps node ids to the names given in the document', () => {
    const names = nodeNamesOf({
      nodes: [
        { id: 'request', type: 'api.request', name: 'Incoming call' },
        { id: 'who', type: 'toolbox.set_variable' },
        { id: 'fail', name: '  Give up ' },
        { id: 'blank', name: '   ' },
      ],
    });
    expect([...names]).toEqual([
      ['request', 'Incoming call'],
      ['fail', 'Give up'],
    ]);
  });

  it('gives no names for anything that is not a document with nodes', () => {
    for (const doc of [undefined, null, 'text', 42, {}, { nodes: 'x' }, { nodes: [null, 7, { name: 'no id' }] }]) {
      expect(nodeNamesOf(doc).size).toBe(0);
    }
  });
});
