import { describe, expect, it } from 'vitest';
import type { TemplateMismatch } from '@/lib/templates/check-template-fit';
import { defaultAccounts, fieldLabel, fixableHere, mismatchKey, orderAccounts, unresolved, requestBody } from './template-choices';

const column: TemplateMismatch = {
  nodeId: 'writeScore',
  nodeName: 'Write the score',
  field: 'params.inputs.fields.new_leadscore',
  code: 'unknown_column',
  message: 'lead has no column new_leadscore.',
  fix: { kind: 'leave_out', field: 'params.inputs.fields.new_leadscore', text: 'Leave this field out' },
};
const choice: TemplateMismatch = {
  nodeId: 'find',
  nodeName: 'Find leads',
  field: 'params.inputs.conditions.conditions.1.value',
  code: 'unknown_choice',
  message: 'Web is not a choice of leadsourcecode.',
  fix: {
    kind: 'pick_value',
    field: 'params.inputs.conditions.conditions.1.value',
    choices: [
      { value: 1, label: 'Advertisement' },
      { value: 8, label: 'Web' },
    ],
    text: 'Pick another value',
    leaveOut: 'params.inputs.conditions.conditions.1',
  },
};
const table: TemplateMismatch = {
  nodeId: 'milestone',
  nodeName: 'Create milestone',
  field: '',
  code: 'unknown_table',
  message: 'No table new_milestone.',
  fix: { kind: 'choose_account', text: 'Choose an account whose organization has this table.' },
};

describe('template choices', () => {
  it('turns chosen fixes into the use request: inputs left out and values set', () => {
    const body = requestBody({ sales: 'a1' }, [column, choice], {
      [mismatchKey(column)]: { kind: 'leave_out' },
      [mismatchKey(choice)]: { kind: 'value', value: 1 },
    });
    expect(body).toEqual({
      accounts: { sales: 'a1' },
      leaveOut: [{ nodeId: 'writeScore', field: 'params.inputs.fields.new_leadscore' }],
      values: [{ nodeId: 'find', field: 'params.inputs.conditions.conditions.1.value', value: 1 }],
    });
  });

  it('leaves out a whole condition when that is the choice, and sets nothing inside it', () => {
    const body = requestBody({ sales: 'a1' }, [choice], { [mismatchKey(choice)]: { kind: 'leave_out' } });
    expect(body).toEqual({ accounts: { sales: 'a1' }, leaveOut: [{ nodeId: 'find', field: 'params.inputs.conditions.conditions.1' }] });
  });

  it('sends only the accounts when nothing needs fixing, and ignores choices for mismatches no longer reported', () => {
    expect(requestBody({ sales: 'a2' }, [], { [mismatchKey(column)]: { kind: 'leave_out' } })).toEqual({ accounts: { sales: 'a2' } });
  });

  it('counts what is still unfixed; a table the organization lacks is only fixed by another account', () => {
    expect(unresolved([column, choice, table], {})).toEqual([column, choice, table]);
    expect(
      unresolved([column, choice, table], {
        [mismatchKey(column)]: { kind: 'leave_out' },
        [mismatchKey(choice)]: { kind: 'value', value: 8 },
        [mismatchKey(table)]: { kind: 'leave_out' },
      }),
    ).toEqual([table]);
    // A value the organization does not offer is not a fix.
    expect(unresolved([choice], { [mismatchKey(choice)]: { kind: 'value', value: 99 } })).toEqual([choice]);
    expect([column, choice, table].map(fixableHere)).toEqual([true, true, false]);
  });

  it('offers sandbox accounts first, the first connected leading, and picks it for every placeholder', () => {
    const accounts = [
      { id: 'real', isSandbox: false, createdAt: '2026-01-01T00:00:00.000Z' },
      { id: 'sb2', isSandbox: true, createdAt: '2026-01-03T00:00:00.000Z' },
      { id: 'sb1', isSandbox: true, createdAt: '2026-01-02T00:00:00.000Z' },
    ];
    expect(orderAccounts(accounts).map((a) => a.id)).toEqual(['sb1', 'sb2', 'real']);
    expect(defaultAccounts(['sales', 'other'], accounts)).toEqual({ sales: 'sb1', other: 'sb1' });
    expect(defaultAccounts(['sales'], [])).toEqual({ sales: '' });
  });
});

describe('fieldLabel', () => {
  it('names a written column by itself and other inputs by their path', () => {
    expect(fieldLabel('params.inputs.fields.new_leadscore')).toBe('new_leadscore');
    expect(fieldLabel('params.inputs.conditions.conditions.1.value')).toBe('conditions › conditions › #2 › value');
    expect(fieldLabel('')).toBe('the step');
  });
});
