import { describe, expect, it } from 'vitest';
import { rowMatcher, toConnectorConditions, TriggerConfigError } from './trigger-conditions';

describe('trigger conditions in the connector terms', () => {
  it('maps the operators and unwraps literals', () => {
    expect(
      toConnectorConditions({
        match: 'any',
        rules: [
          { left: { column: 'subject' }, operator: 'starts_with', right: 'VIP' },
          { left: { column: 'budgetamount' }, operator: 'ge', right: { literal: 1000 } },
          { left: { column: 'emailaddress1' }, operator: 'is_empty' },
        ],
      }),
    ).toEqual({
      match: 'any',
      conditions: [
        { field: 'subject', operator: 'startswith', value: 'VIP' },
        { field: 'budgetamount', operator: 'ge', value: 1000 },
        { field: 'emailaddress1', operator: 'null' },
      ],
    });
  });

  it('refuses an expression: nothing has run yet for it to read', () => {
    expect(() =>
      toConnectorConditions({ match: 'all', rules: [{ left: { column: 'subject' }, operator: 'eq', right: { expr: '$now()' } }] }),
    ).toThrow(TriggerConfigError);
  });
});

describe('rowMatcher: the connector filter judged on a row (change-tracking rounds)', () => {
  it('compares text case-insensitively as Dataverse does, numbers and dates by value, lookups by _x_value', () => {
    const matches = rowMatcher({
      match: 'all',
      conditions: [
        { field: 'subject', operator: 'startswith', type: 'string', value: 'VIP' },
        { field: 'budgetamount', operator: 'ge', type: 'number', value: 1000 },
        { field: 'modifiedon', operator: 'ge', type: 'datetime', value: '2033-01-01T12:00:00Z' },
        { field: '_parentaccountid_value', operator: 'eq', type: 'guid', value: 'AB6A0C2D-0000-4000-8000-000000000001' },
        {
          match: 'any',
          conditions: [
            { field: 'emailaddress1', operator: 'null' },
            { field: 'jobtitle', operator: 'contains', type: 'string', value: 'Buy' },
          ],
        },
      ],
    });
    const row = {
      subject: 'vip lead',
      budgetamount: 1500,
      modifiedon: '2033-01-01T12:00:05Z',
      _parentaccountid_value: 'ab6a0c2d-0000-4000-8000-000000000001',
      emailaddress1: 'a@b.c',
      jobtitle: 'head BUYER',
    };
    expect(matches(row)).toBe(true);
    expect(matches({ ...row, budgetamount: 999 })).toBe(false);
    expect(matches({ ...row, modifiedon: '2033-01-01T11:59:59Z' })).toBe(false);
    expect(matches({ ...row, subject: 'a vip' })).toBe(false);
    expect(matches({ ...row, jobtitle: 'seller' })).toBe(false);
    expect(matches({ ...row, jobtitle: 'seller', emailaddress1: null })).toBe(true);
  });

  it('refuses an operator no trigger condition can hold', () => {
    expect(() => rowMatcher({ match: 'all', conditions: [{ field: 'createdon', operator: 'last_x_days', value: 3 }] })).toThrow(
      TriggerConfigError,
    );
  });
});
