import { describe, expect, it } from 'vitest';
import { contact, directory } from '@/test/fixtures/tables';
import type { FlowNode } from '../model/schema';
import type { AccountMetadata, FlowMetadata } from './flow-metadata';
import { metadataProblems } from './metadata-checks';

// Retrieve's FetchXML mode in the editor's checks: the query is checked on its own field.
const metadata: FlowMetadata = new Map<string, AccountMetadata>([
  ['acc', { status: 'ok', name: 'Sales', directory, tables: new Map([['contact', contact]]) }],
]);
const problems = (inputs: Record<string, unknown>) =>
  metadataProblems(
    {
      nodes: [
        {
          id: 'n1',
          type: 'dynamics.contact.retrieve',
          typeVersion: 1,
          position: { x: 0, y: 0 },
          params: { accountId: 'acc', inputs },
        } as FlowNode,
      ],
    },
    metadata,
  ).map((p) => `${p.code} ${p.field}: ${p.message}`);
const query = `<fetch><entity name='contact'><attribute name='fullname'/><filter><condition attribute='lastname' operator='like' value='A%'/></filter></entity></fetch>`;

describe('Retrieve with a FetchXML query', () => {
  it('accepts a well-formed query on the step table, and one mapped from an earlier step', () => {
    expect(problems({ fetchXml: query, maxItems: 20 })).toEqual([]);
    expect(problems({ fetchXml: { expr: '$steps.a.output.query' } })).toEqual([]);
  });
  it('reports a malformed query, one on another table and an oversized one on the field', () => {
    expect(problems({ fetchXml: `<fetch><entity name='contact'>` })).toEqual([
      expect.stringMatching(
        /^fetchxml_invalid params\.inputs\.fetchXml: The FetchXML query is not well-formed XML: The element 'entity' is not closed/,
      ),
    ]);
    expect(problems({ fetchXml: `<fetch><entity name='account'/></fetch>` })).toEqual([
      "fetchxml_invalid params.inputs.fetchXml: The FetchXML query is on 'account' but this step retrieves 'contact'.",
    ]);
    expect(problems({ fetchXml: `<fetch><entity name='contact'/>${' '.repeat(16_001)}</fetch>` })[0]).toMatch(
      /longer than 16,000 characters/,
    );
  });
  it('reports conditions, order or columns set beside the query, once, on the query', () => {
    expect(
      problems({
        fetchXml: query,
        conditions: { match: 'all', conditions: [{ field: 'lastname', operator: 'eq', value: 'x' }] },
        orderBy: [{ field: 'lastname', direction: 'asc' }],
      }),
    ).toEqual([
      'fetchxml_exclusive params.inputs.fetchXml: A FetchXML query replaces the conditions, order: clear those, or clear the query.',
    ]);
  });
});
