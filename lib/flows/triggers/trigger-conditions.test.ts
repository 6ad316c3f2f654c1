import { describe, expect, it } from 'vitest';
import { toConnectorConditions, TriggerConfigError } from './trigger-conditions';

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
