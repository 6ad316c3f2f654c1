import { describe, expect, it } from 'vitest';
import type { ConditionGroup } from '../types';
import { buildFilter } from './filter';
import { formatLiteral } from './literals';
import { assertGuid, assertName } from './names';
import { primaryKeyOf } from './primary-key';
import { assertMetadataPath, buildPrefer, buildQueryString, formatKey, rowPath } from './query';

const all = (...conditions: ConditionGroup['conditions']): ConditionGroup => ({ match: 'all', conditions });

describe('names and ids (OData injection)', () => {
  it.each(["name'", 'name)', 'name$', 'a/b', '..', '%27', 'Name', '1abc', '', 'a b', 'accounts(1)', 'x;y'])('refuses name %j', (n) => {
    expect(() => assertName(n)).toThrow(/Invalid/);
  });
  it('accepts logical names', () => expect(assertName('new_custom_1')).toBe('new_custom_1'));
  it.each([
    '00000000-0000-0000-0000-00000000000',
    "00000000-0000-0000-0000-000000000001'",
    '00000000-0000-0000-0000-000000000001) or (1 eq 1',
    'x',
  ])('refuses GUID %j', (g) => expect(() => assertGuid(g)).toThrow());
  it('normalises GUIDs', () => expect(assertGuid('{AAAAAAAA-0000-0000-0000-000000000001}')).toBe('aaaaaaaa-0000-0000-0000-000000000001'));
});

describe('literals', () => {
  it.each([
    ["O'Brien) or (1 eq 1", undefined, "'O''Brien) or (1 eq 1'"],
    [42, undefined, '42'],
    [1.5, undefined, '1.5'],
    [1e21, undefined, '1000000000000000000000'],
    [true, undefined, 'true'],
    [null, undefined, 'null'],
    ['2024-01-31T12:00:00Z', undefined, '2024-01-31T12:00:00Z'],
    ['2024-01-31T12:00:00Z', 'string', "'2024-01-31T12:00:00Z'"],
    ['2024-01-31', 'datetime', '2024-01-31T00:00:00Z'],
    ['AAAAAAAA-0000-0000-0000-000000000001', 'guid', 'aaaaaaaa-0000-0000-0000-000000000001'],
    ['12', 'number', '12'],
  ] as const)('%j (%s) → %s', (v, t, out) => expect(formatLiteral(v, t)).toBe(out));
  it.each([
    [NaN, undefined],
    [Infinity, undefined],
    ['x', 'number'],
    ["1' or 1 eq 1", 'guid'],
    ['2024-01-31 or true', 'datetime'],
  ] as const)('refuses %j as %s', (v, t) => {
    expect(() => formatLiteral(v, t)).toThrow();
  });
});

describe('buildFilter', () => {
  it.each<[ConditionGroup, string | null]>([
    [all({ field: 'lastname', operator: 'eq', value: "O'Brien) or (1 eq 1" }), "lastname eq 'O''Brien) or (1 eq 1'"],
    [
      all({ field: 'revenue', operator: 'gt', value: 1000 }, { field: 'statecode', operator: 'eq', value: 0 }),
      '(revenue gt 1000) and (statecode eq 0)',
    ],
    [
      {
        match: 'any',
        conditions: [
          { field: 'name', operator: 'null' },
          { field: 'name', operator: 'not_null' },
        ],
      },
      '(name eq null) or (name ne null)',
    ],
    [all({ field: 'name', operator: 'contains', value: "50%_[x]'" }), "contains(name,'50[%][_][[]x]''')"],
    [all({ field: 'name', operator: 'not_contains', value: 'a' }), "not contains(name,'a')"],
    [
      all({ field: 'name', operator: 'startswith', value: 'a' }, { field: 'name', operator: 'endswith', value: 'z' }),
      "(startswith(name,'a')) and (endswith(name,'z'))",
    ],
    [
      all({ field: 'lastname', operator: 'in', value: ['OBrian', "O'Brian", 'say "hi"', 3] }),
      'Microsoft.Dynamics.CRM.In(PropertyName=\'lastname\',PropertyValues=["OBrian","O\'Brian","say \\"hi\\"","3"])',
    ],
    [
      all({ field: 'createdon', operator: 'on', value: '2024-01-31' }),
      "Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='2024-01-31')",
    ],
    [
      all({ field: 'createdon', operator: 'on_or_after', value: '2024-01-31' }),
      "Microsoft.Dynamics.CRM.OnOrAfter(PropertyName='createdon',PropertyValue='2024-01-31')",
    ],
    [
      all({ field: 'createdon', operator: 'on_or_before', value: '2024-01-31' }),
      "Microsoft.Dynamics.CRM.OnOrBefore(PropertyName='createdon',PropertyValue='2024-01-31')",
    ],
    [
      all({ field: 'modifiedon', operator: 'last_x_days', value: 7 }),
      "Microsoft.Dynamics.CRM.LastXDays(PropertyName='modifiedon',PropertyValue=7)",
    ],
    [
      all({ field: 'modifiedon', operator: 'next_x_days', value: '3' }),
      "Microsoft.Dynamics.CRM.NextXDays(PropertyName='modifiedon',PropertyValue=3)",
    ],
    [
      all({ field: '_parentcustomerid_value', operator: 'eq', value: 'AAAAAAAA-0000-0000-0000-000000000001' }),
      '_parentcustomerid_value eq aaaaaaaa-0000-0000-0000-000000000001',
    ],
    [all({ field: 'modifiedon', operator: 'ge', value: '2024-01-01T00:00:00Z' }), 'modifiedon ge 2024-01-01T00:00:00Z'],
    [all({ field: 'name', operator: 'eq', value: '2024-01-01T00:00:00Z', type: 'string' }), "name eq '2024-01-01T00:00:00Z'"],
    [
      all(all({ field: 'a', operator: 'eq', value: 1 }), {
        match: 'any',
        conditions: [
          { field: 'b', operator: 'eq', value: 2 },
          { field: 'c', operator: 'eq', value: 3 },
        ],
      }),
      '(a eq 1) and ((b eq 2) or (c eq 3))',
    ],
    [all(), null],
  ])('%#', (group, expected) => expect(buildFilter(group)).toBe(expected));

  it.each<[ConditionGroup]>([
    [all({ field: "name') or (1 eq 1", operator: 'eq', value: 1 })],
    [all({ field: 'name', operator: 'drop' as never, value: 1 })],
    [all({ field: 'name', operator: 'toString' as never, value: 1 })],
    [all({ field: 'name', operator: 'in', value: [] })],
    [all({ field: 'name', operator: 'eq', value: ['a'] })],
    [all({ field: 'name', operator: 'eq' })],
    [all({ field: 'modifiedon', operator: 'last_x_days', value: '7) or (1 eq 1' })],
    [{ match: 'xor' as never, conditions: [] }],
  ])('refuses %j', (group) => expect(() => buildFilter(group)).toThrow());
});

describe('query strings, keys and Prefer', () => {
  it('encodes filter values so reserved characters stay data', () => {
    const q = buildQueryString({
      select: ['name', 'accountid'],
      filter: all({ field: 'name', operator: 'eq', value: "a&b=c+d/e?f#g;h@i,j%k'" }),
      orderBy: [{ field: 'name' }, { field: 'createdon', descending: true }],
      top: 5,
    });
    expect(q).toBe(
      `$select=name,accountid&$filter=${encodeURIComponent("name eq 'a&b=c+d/e?f#g;h@i,j%k'''")}&$orderby=name%20asc%2Ccreatedon%20desc&$top=5`,
    );
    const filter = new URLSearchParams(q).get('$filter');
    expect(filter).toBe("name eq 'a&b=c+d/e?f#g;h@i,j%k'''");
  });
  it('builds keys', () => {
    expect(rowPath('accounts', { id: 'AAAAAAAA-0000-0000-0000-000000000001' })).toBe('accounts(aaaaaaaa-0000-0000-0000-000000000001)');
    expect(formatKey({ alternateKey: { accountnumber: "A/1'x", new_n: 2 } })).toBe(
      `(accountnumber=${encodeURIComponent("'A/1''x'")},new_n=2)`,
    );
    expect(() => rowPath('accounts', { id: '../x' })).toThrow();
    expect(() => formatKey({ alternateKey: {} })).toThrow();
    expect(() => rowPath('Accounts', { id: 'aaaaaaaa-0000-0000-0000-000000000001' })).toThrow();
  });
  it('expands with validated navigation properties', () => {
    expect(buildQueryString({ expand: [{ navigationProperty: 'primarycontactid', select: ['fullname'] }] })).toBe(
      `$expand=${encodeURIComponent('primarycontactid($select=fullname)')}`,
    );
    expect(() => buildQueryString({ expand: [{ navigationProperty: 'x($filter=1)' }] })).toThrow();
  });
  it('builds Prefer', () => {
    expect(buildPrefer({ returnRepresentation: true, maxPageSize: 10 })).toBe('return=representation,odata.maxpagesize=10');
    expect(buildPrefer({})).toBeUndefined();
    expect(() => buildPrefer({ maxPageSize: 5001 })).toThrow();
  });
  it('checks metadata paths', () => {
    expect(assertMetadataPath("EntityDefinitions(LogicalName='account')/Attributes?$select=LogicalName")).toBeTruthy();
    expect(assertMetadataPath('EntityDefinitions?$select=LogicalName,EntitySetName&$filter=IsValidForAdvancedFind eq true')).toContain(
      '%20',
    );
    for (const p of ['../x', 'https://evil.com/x', '//evil.com', '/absolute', 'a\nb']) expect(() => assertMetadataPath(p)).toThrow();
  });
  it('derives primary keys', () => {
    expect(primaryKeyOf('accounts')).toBe('accountid');
    expect(primaryKeyOf('salesorders')).toBe('salesorderid');
    expect(primaryKeyOf('opportunities')).toBe('opportunityid');
    expect(primaryKeyOf('new_boxes')).toBe('new_boxid');
    expect(primaryKeyOf('new_things', 'new_thingid')).toBe('new_thingid');
    expect(primaryKeyOf('x', undefined, { x: 'new_y' })).toBe('new_yid');
  });
});
