import { describe, expect, it } from 'vitest';
import { contact } from '../../../../test/fixtures/tables';
import { retrieveQuery } from '../actions/retrieve-records';
import { toFilter } from './conditions';

const id = '00AA00AA-BB11-CC22-DD33-44EE44EE44EE';

describe('toFilter', () => {
  it('maps choice labels to values, lookups to _x_value GUIDs, and keeps nested all/any groups', () => {
    expect(
      toFilter(contact, {
        match: 'all',
        conditions: [
          { field: 'new_preferredchannel', operator: 'in', value: ['phone', 'Email'] },
          {
            match: 'any',
            conditions: [
              { field: 'parentcustomerid', operator: 'eq', value: id },
              { field: 'lastname', operator: 'startswith', value: "O'Br" },
            ],
          },
          { field: 'birthdate', operator: 'null' },
          { field: 'modifiedon', operator: 'last_x_days', value: 7 },
        ],
      }),
    ).toEqual({
      match: 'all',
      conditions: [
        { field: 'new_preferredchannel', operator: 'in', type: 'number', value: [100000001, 100000000] },
        {
          match: 'any',
          conditions: [
            { field: '_parentcustomerid_value', operator: 'eq', type: 'guid', value: id.toLowerCase() },
            { field: 'lastname', operator: 'startswith', type: 'string', value: "O'Br" },
          ],
        },
        { field: 'birthdate', operator: 'null' },
        { field: 'modifiedon', operator: 'last_x_days', value: 7 },
      ],
    });
  });

  it('refuses unknown columns, wrong operators and mistyped values with precise messages', () => {
    const one = (c: Parameters<typeof toFilter>[1]['conditions'][number]) => () => toFilter(contact, { match: 'all', conditions: [c] });
    expect(one({ field: 'nosuch', operator: 'eq', value: 1 })).toThrow('Contact has no readable column "nosuch".');
    expect(one({ field: 'new_loyaltypoints', operator: 'contains', value: '1' })).toThrow(
      /"contains" cannot be used on Loyalty Points \(integer\)/,
    );
    expect(one({ field: 'new_loyaltypoints', operator: 'gt', value: 'many' })).toThrow('Loyalty Points gt: expected a number, got "many".');
    expect(one({ field: 'parentcustomerid', operator: 'eq', value: "x' or 1 eq 1" })).toThrow(/expected a record id \(GUID\)/);
    expect(one({ field: 'gendercode', operator: 'eq', value: 'Other' })).toThrow(/"Other" is not a choice of Gender/);
    expect(one({ field: 'lastname', operator: 'eq' })).toThrow(/needs a value/);
    expect(one({ field: 'modifiedon', operator: 'last_x_days', value: -1 })).toThrow(/whole number of days/);
  });

  it('limits the number of conditions', () => {
    const many = Array.from({ length: 51 }, () => ({ field: 'lastname', operator: 'eq' as const, value: 'x' }));
    expect(() => toFilter(contact, { match: 'any', conditions: many })).toThrow(/At most 50 conditions/);
  });
});

describe('retrieveQuery', () => {
  it('asks for one row more than maxItems, orders totally by the primary key last, selects lookups as _x_value', () => {
    const q = retrieveQuery(contact, {
      maxItems: 10,
      whenMoreMatch: 'error',
      orderBy: [{ field: 'lastname', direction: 'desc' }],
      columns: ['lastname', 'parentcustomerid'],
    });
    expect(q).toMatchObject({
      top: 11,
      pageSize: 11,
      select: ['contactid', 'lastname', '_parentcustomerid_value'],
      orderBy: [{ field: 'lastname', descending: true }, { field: 'contactid' }],
    });
    expect(retrieveQuery(contact, { maxItems: 5000, whenMoreMatch: 'first_n' }).pageSize).toBe(5000);
  });
});
