import { describe, expect, it } from 'vitest';
import type { TableSchema } from '@/lib/dynamics/metadata/types';
import { contact, directory } from '@/test/fixtures/tables';
import type { FlowNode } from '../model/schema';
import type { AccountMetadata, FlowMetadata } from './flow-metadata';
import { mappedValueProblems } from './mapped-value-checks';

const account = (tables: [string, TableSchema | { error: string }][]): AccountMetadata => ({
  status: 'ok',
  name: 'Sales',
  directory,
  tables: new Map(tables),
});
const metadata: FlowMetadata = new Map([
  ['acc', account([['contact', contact]])],
  ['broken', account([['contact', { error: 'HTTP 503' }]])],
]);

const node = (id: string, type: string, inputs: Record<string, unknown>, accountId = 'acc'): FlowNode =>
  ({
    id,
    type,
    typeVersion: 1,
    name: id === 'trigger' ? 'New contact' : undefined,
    position: { x: 0, y: 0 },
    params: { accountId, inputs },
  }) as FlowNode;
const trigger = (event = 'new', accountId = 'acc') => node('trigger', `dynamics.contact.${event}`, { intervalSeconds: 60 }, accountId);
const write = (fields: Record<string, unknown>, kind = 'create', accountId = 'acc') =>
  node('write', `dynamics.contact.${kind}`, { fields }, accountId);
const problems = (nodes: FlowNode[]) => mappedValueProblems({ nodes }, metadata);
const expr = (e: string) => ({ expr: e });

describe('values mapped from the trigger record', () => {
  it('text into a whole number is a problem on that field, naming both columns and the fix', () => {
    const found = problems([trigger(), write({ lastname: 'Ng', new_loyaltypoints: expr('$trigger.record.firstname') })]);
    expect(found).toEqual([
      {
        nodeId: 'write',
        field: 'params.inputs.fields.new_loyaltypoints',
        code: 'mapped_type',
        message: expect.stringMatching(
          /First Name \(firstname\) of "New contact" is text, but .*new_loyaltypoints.* takes a whole number.*\$number/,
        ),
      },
    ]);
  });

  it('a number into text is a problem too, on update and upsert as on create; back-quoted names are read', () => {
    for (const kind of ['create', 'update', 'upsert']) {
      const found = problems([trigger('updated'), write({ firstname: expr('$trigger.record.`annualincome`') }, kind)]);
      expect(found.map((p) => [p.code, p.field])).toEqual([['mapped_type', 'params.inputs.fields.firstname']]);
      expect(found[0]!.message).toMatch(/is a number, but .*\$string/);
    }
  });

  it('fitting mappings pass: text into text, a choice into a choice, anything into a yes/no, a GUID string into a lookup', () => {
    expect(
      problems([
        trigger('new_or_updated'),
        write({
          lastname: expr('$trigger.record.lastname'),
          gendercode: expr('$trigger.record.new_preferredchannel'),
          donotemail: expr('$trigger.record.firstname'),
          parentcustomerid: expr('$trigger.record.contactid'),
          annualincome: expr(' $trigger.record.new_loyaltypoints '),
        }),
      ]),
    ).toEqual([]);
  });

  it('leaves to the run what only the run knows: computed expressions, literals, unknown columns, other sources', () => {
    expect(
      problems([
        trigger(),
        write({
          new_loyaltypoints: expr('$length($trigger.record.firstname)'),
          annualincome: expr('$steps.x.output.firstname'),
          firstname: 'literal text',
          lastname: expr('$trigger.record.nosuchcolumn'),
        }),
      ]),
    ).toEqual([]);
  });

  it('says nothing without loaded metadata or a record to map from', () => {
    const mismatch = { new_loyaltypoints: expr('$trigger.record.firstname') };
    expect(problems([trigger('deleted'), write(mismatch)])).toEqual([]);
    expect(problems([trigger('new', 'broken'), write(mismatch)])).toEqual([]);
    expect(problems([trigger(), write(mismatch, 'create', 'broken')])).toEqual([]);
    expect(problems([trigger('new', 'unknown'), write(mismatch)])).toEqual([]);
    expect(problems([write(mismatch)])).toEqual([]);
    expect(problems([trigger(), node('r', 'dynamics.contact.retrieve', { fields: mismatch })])).toEqual([]);
  });
});
