import { describe, expect, it } from 'vitest';
import type { EditorDocument } from './editor-document';
import { fingerprintsOf, staleSteps } from './stale-steps';

const node = (id: string, type: string, inputs: Record<string, unknown> = {}) => ({
  id,
  type,
  typeVersion: 1,
  position: { x: 0, y: 0 },
  params: { inputs },
});
const doc = (message: string, extra: EditorDocument['nodes'] = []): EditorDocument =>
  ({
    schemaVersion: 2,
    name: 'f',
    description: '',
    nodes: [node('t', 'manual.trigger'), node('a', 'toolbox.log', { message }), node('b', 'toolbox.log', { message: 'b' }), ...extra],
    edges: [
      { id: 'e1', from: { node: 't', handle: 'next' }, to: { node: 'a' } },
      { id: 'e2', from: { node: 'a', handle: 'next' }, to: { node: 'b' } },
    ],
  }) as EditorDocument;

describe('stale test results', () => {
  const before = doc('hello');
  const tested = new Map(['t', 'a', 'b'].map((id) => [id, fingerprintsOf(before)]));

  it('nothing is stale right after the test, nor after moving or renaming a step', () => {
    expect(staleSteps(before, tested)).toEqual(new Set());
    const moved = { ...before, nodes: before.nodes.map((n) => (n.id === 'a' ? { ...n, name: 'Renamed', position: { x: 99, y: 9 } } : n)) };
    expect(staleSteps(moved, tested)).toEqual(new Set());
  });

  it('a changed step and every step after it are stale; the steps before it are not', () => {
    expect(staleSteps(doc('changed'), tested)).toEqual(new Set(['a', 'b']));
  });

  it('a step tested again after the change is fresh; untested and removed steps are never stale', () => {
    const after = doc('changed', [node('c', 'toolbox.log', { message: 'new' })]);
    const retested = new Map(tested);
    retested.set('a', fingerprintsOf(after));
    retested.set('gone', fingerprintsOf(before));
    expect(staleSteps(after, retested)).toEqual(new Set(['b']));
  });
});
