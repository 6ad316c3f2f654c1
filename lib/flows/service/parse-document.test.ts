import { describe, expect, it } from 'vitest';
import { DomainError } from '@/lib/errors/domain-error';
import { parseSubmittedDocument } from './parse-document';

const doc = (logInputs: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  schemaVersion: 2,
  name: 'draft',
  nodes: [
    { id: 't', type: 'manual.trigger', typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs: {} } },
    { id: 'l', type: 'toolbox.log', typeVersion: 1, position: { x: 1, y: 0 }, params: { inputs: logInputs }, ...extra },
    { id: 'c', type: 'dynamics.contact.create', typeVersion: 1, position: { x: 2, y: 0 }, params: { inputs: {} } },
  ],
  edges: [],
});

describe('parseSubmittedDocument', () => {
  it('keeps an unfinished draft (an input missing, no account yet) as it is', () => {
    const parsed = parseSubmittedDocument(doc({}));
    expect(parsed.nodes.map((n) => n.id)).toEqual(['t', 'l', 'c']);
    expect(parsed.nodes[1]!.params.inputs).toEqual({});
  });

  it('parses a finished document with its defaults filled in', () => {
    const parsed = parseSubmittedDocument({ ...doc({ message: 'hi' }), nodes: doc({ message: 'hi' }).nodes.slice(0, 2) });
    expect(parsed.nodes[1]!.params.inputs).toEqual({ message: 'hi', level: 'info' });
  });

  it('refuses what has not the shape of a flow document: a misspelt field, wrong types', () => {
    for (const bad of [doc({}, { onErorr: 'route' }), { ...doc({}), nodes: 'x' }, { ...doc({}), schemaVersion: 9 }, null]) {
      expect(() => parseSubmittedDocument(bad)).toThrow(DomainError);
    }
  });
});
