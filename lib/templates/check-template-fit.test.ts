/** Reading validation problems as mismatches with fixes, on a hand-made document and metadata (pure). */
import { describe, expect, it } from 'vitest';
import type { TableSchema } from '@/lib/dynamics/metadata/types';
import type { FlowDocument } from '@/lib/flows/model/schema';
import type { FlowMetadata } from '@/lib/flows/validation/flow-metadata';
import { templateMismatches } from './check-template-fit';

const node = (id: string, type: string, inputs: Record<string, unknown>) => ({
  id,
  type,
  typeVersion: 1,
  name: `Step ${id}`,
  position: { x: 0, y: 0 },
  params: { accountId: 'acc', inputs },
});

const doc = {
  schemaVersion: 2,
  name: 't',
  description: '',
  nodes: [
    node('trig', 'dynamics.lead.updated', {
      conditions: { match: 'all', rules: [{ left: { column: 'new_x' }, operator: 'eq', right: 1 }] },
    }),
    node('find', 'dynamics.lead.retrieve', {
      conditions: {
        match: 'all',
        conditions: [
          { field: 'new_a', operator: 'eq', value: 1 },
          { field: 'statecode', operator: 'eq', value: 0 },
        ],
      },
    }),
    node('only', 'dynamics.lead.update', {
      match: { by: 'conditions', conditions: { match: 'all', conditions: [{ field: 'leadsourcecode', operator: 'eq', value: 'Web' }] } },
      fields: { leadsourcecode: 'Web' },
    }),
  ],
  edges: [],
} as unknown as FlowDocument;

const lead = {
  logicalName: 'lead',
  columns: [
    { logicalName: 'leadsourcecode', displayName: 'Lead Source', type: 'choice', choices: [{ value: 100000000, label: 'Webinar' }] },
  ],
} as unknown as TableSchema;
const metadata: FlowMetadata = new Map([
  ['acc', { status: 'ok', name: 'Org', directory: { tables: [] } as never, tables: new Map([['lead', lead]]) }],
]);

const problem = (nodeId: string, field: string, code: string) => ({ nodeId, field, code, message: `${code} at ${field}` });

describe('templateMismatches', () => {
  it('offers the narrowest thing that can be left out, and nothing that would break the step', () => {
    const out = templateMismatches(
      doc,
      [
        problem('trig', 'params.inputs.conditions.rules.0.left.column', 'unknown_column'),
        problem('find', 'params.inputs.conditions.conditions.0.field', 'unknown_column'),
        problem('only', 'params.inputs.match.conditions.conditions.0.value', 'value_type'),
        problem('only', 'params.inputs.fields.new_leadscore', 'unknown_column'),
      ],
      metadata,
    );
    expect(out.map((m) => [m.nodeId, m.nodeName, m.fix.kind, 'field' in m.fix ? m.fix.field : null])).toEqual([
      ['trig', 'Step trig', 'leave_out', 'params.inputs.conditions'],
      ['find', 'Step find', 'leave_out', 'params.inputs.conditions.conditions.0'],
      ['only', 'Step only', 'edit', null],
      ['only', 'Step only', 'leave_out', 'params.inputs.fields.new_leadscore'],
    ]);
  });

  it("offers the organization's own choices for a choice it lacks, in a field or a condition", () => {
    const out = templateMismatches(
      doc,
      [
        problem('only', 'params.inputs.fields.leadsourcecode', 'unknown_choice'),
        problem('only', 'params.inputs.match.conditions.conditions.0.value', 'unknown_choice'),
      ],
      metadata,
    );
    expect(out.map((m) => m.fix)).toEqual([
      {
        kind: 'pick_value',
        field: 'params.inputs.fields.leadsourcecode',
        choices: [{ value: 100000000, label: 'Webinar' }],
        leaveOut: 'params.inputs.fields.leadsourcecode',
        text: 'Pick another value: "Webinar", or leave this field out.',
      },
      {
        kind: 'pick_value',
        field: 'params.inputs.match.conditions.conditions.0.value',
        choices: [{ value: 100000000, label: 'Webinar' }],
        text: 'Pick another value: "Webinar".',
      },
    ]);
  });

  it('sends a missing table to another account and leaves account problems to the account check', () => {
    const out = templateMismatches(
      doc,
      [problem('find', 'type', 'unknown_table'), problem('find', 'params.accountId', 'account_unreachable')],
      metadata,
    );
    expect(out).toEqual([
      expect.objectContaining({ nodeId: 'find', code: 'unknown_table', fix: expect.objectContaining({ kind: 'choose_account' }) }),
    ]);
  });
});
