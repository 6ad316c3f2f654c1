import { describe, expect, it } from 'vitest';
import type { ConditionOperator } from '../model/conditions';
import { evaluateConditionGroup, evaluateRule, isEmptyValue } from './evaluate-condition';

const rule = (left: unknown, operator: ConditionOperator, right?: unknown) => evaluateRule({ left, operator, right });

describe('evaluateRule', () => {
  it('compares numbers numerically, a numeric string next to a number too', () => {
    expect(rule(10, 'gt', 9)).toBe(true);
    expect(rule('10', 'gt', 9)).toBe(true);
    expect(rule(10, 'eq', '10.0')).toBe(true);
    expect(rule(2, 'le', 2)).toBe(true);
    expect(rule(2, 'lt', 2)).toBe(false);
    // Two strings stay strings: "10" sorts before "9" by code point.
    expect(rule('10', 'gt', '9')).toBe(false);
    expect(rule('007', 'eq', '7')).toBe(false);
  });

  it('compares ISO dates as instants whatever their formatting', () => {
    expect(rule('2026-05-01T10:00:00Z', 'eq', '2026-05-01T12:00:00+02:00')).toBe(true);
    expect(rule('2026-05-02', 'gt', '2026-05-01T23:59:59Z')).toBe(true);
    expect(rule('2026-05-01T10:00:00.000Z', 'lt', '2026-05-01T10:00:01Z')).toBe(true);
  });

  it('is case-sensitive on strings, contains and friends included', () => {
    expect(rule('Contoso', 'eq', 'contoso')).toBe(false);
    expect(rule('Contoso Ltd', 'contains', 'Ltd')).toBe(true);
    expect(rule('Contoso Ltd', 'contains', 'ltd')).toBe(false);
    expect(rule('Contoso Ltd', 'not_contains', 'ltd')).toBe(true);
    expect(rule('Contoso', 'starts_with', 'Con')).toBe(true);
    expect(rule('Contoso', 'starts_with', 'con')).toBe(false);
    expect(rule('Contoso', 'ends_with', 'oso')).toBe(true);
    expect(rule(12345, 'starts_with', '12')).toBe(false);
    expect(rule('b', 'gt', 'a')).toBe(true);
  });

  it('tests list membership and compares objects by content', () => {
    expect(rule(['a', 2, { x: 1 }], 'contains', 2)).toBe(true);
    expect(rule(['a', 2, { x: 1 }], 'contains', { x: 1 })).toBe(true);
    expect(rule(['a'], 'contains', 'b')).toBe(false);
    expect(rule({ a: 1, b: [1, 2] }, 'eq', { b: [1, 2], a: 1 })).toBe(true);
    expect(rule({ a: 1 }, 'ne', { a: 2 })).toBe(true);
  });

  it('answers false for values that do not compare, never throws', () => {
    expect(rule(null, 'gt', 1)).toBe(false);
    expect(rule({ a: 1 }, 'lt', 1)).toBe(false);
    expect(rule(true, 'ge', 'x')).toBe(false);
    expect(rule(null, 'contains', 'x')).toBe(false);
    expect(rule(null, 'eq', undefined)).toBe(true);
    expect(rule(0, 'eq', null)).toBe(false);
  });

  it('reads null, missing, empty text, list and object as empty', () => {
    for (const v of [null, undefined, '', [], {}]) expect(isEmptyValue(v), JSON.stringify(v) ?? 'undefined').toBe(true);
    for (const v of [' ', 0, false, [null], { a: undefined }]) expect(isEmptyValue(v), JSON.stringify(v)).toBe(false);
    expect(rule('', 'is_empty')).toBe(true);
    expect(rule('x', 'is_not_empty')).toBe(true);
  });
});

describe('evaluateConditionGroup', () => {
  const yes = { left: 1, operator: 'eq' as const, right: 1 };
  const no = { left: 1, operator: 'eq' as const, right: 2 };
  it('needs every rule for all, one for any', () => {
    expect(evaluateConditionGroup({ match: 'all', rules: [yes, no] })).toBe(false);
    expect(evaluateConditionGroup({ match: 'all', rules: [yes, yes] })).toBe(true);
    expect(evaluateConditionGroup({ match: 'any', rules: [no, yes] })).toBe(true);
    expect(evaluateConditionGroup({ match: 'any', rules: [no, no] })).toBe(false);
  });
});
