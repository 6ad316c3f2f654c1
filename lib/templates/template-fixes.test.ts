import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@/lib/flows/model/schema';
import { applyTemplateFixes } from './template-fixes';

const doc = {
  schemaVersion: 2,
  name: 'x',
  description: '',
  nodes: [
    {
      id: 'step',
      type: 'dynamics.lead.update',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: {
        accountId: 'acc',
        inputs: {
          match: { by: 'conditions', conditions: { match: 'all', conditions: [{ field: 'a' }, { field: 'b' }, { field: 'c' }] } },
          fields: { new_leadscore: 1, leadsourcecode: 'Web', lastname: 'L' },
        },
      },
    },
  ],
  edges: [],
} as unknown as FlowDocument;

const inputs = (d: FlowDocument) =>
  d.nodes[0]!.params.inputs as { match: { conditions: { conditions: unknown[] } }; fields: Record<string, unknown> };

describe('applyTemplateFixes', () => {
  it('leaves out fields and list items (several of one list), sets values, and leaves the original alone', () => {
    const fixed = applyTemplateFixes(doc, {
      leaveOut: [
        { nodeId: 'step', field: 'params.inputs.fields.new_leadscore' },
        { nodeId: 'step', field: 'params.inputs.match.conditions.conditions.0' },
        { nodeId: 'step', field: 'params.inputs.match.conditions.conditions.2' },
      ],
      values: [{ nodeId: 'step', field: 'params.inputs.fields.leadsourcecode', value: 'Webinar' }],
    });
    expect(inputs(fixed).fields).toEqual({ leadsourcecode: 'Webinar', lastname: 'L' });
    expect(inputs(fixed).match.conditions.conditions).toEqual([{ field: 'b' }]);
    expect(inputs(doc).fields).toEqual({ new_leadscore: 1, leadsourcecode: 'Web', lastname: 'L' });
  });

  it('refuses a fix outside the step inputs, on an unknown step or input, or through a prototype key', () => {
    const refused = (fixes: Parameters<typeof applyTemplateFixes>[1]) => {
      try {
        applyTemplateFixes(doc, fixes);
        return undefined;
      } catch (err) {
        return (err as { code?: string }).code;
      }
    };
    expect(refused({ leaveOut: [{ nodeId: 'step', field: 'params.accountId' }] })).toBe('invalid_fix');
    expect(refused({ leaveOut: [{ nodeId: 'step', field: 'type' }] })).toBe('invalid_fix');
    expect(refused({ leaveOut: [{ nodeId: 'other', field: 'params.inputs.fields.x' }] })).toBe('invalid_fix');
    expect(refused({ leaveOut: [{ nodeId: 'step', field: 'params.inputs.fields.nosuch' }] })).toBe('invalid_fix');
    expect(refused({ leaveOut: [{ nodeId: 'step', field: 'params.inputs.match.conditions.conditions.7' }] })).toBe('invalid_fix');
    expect(refused({ values: [{ nodeId: 'step', field: 'params.inputs.__proto__.polluted', value: 1 }] })).toBe('invalid_fix');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
