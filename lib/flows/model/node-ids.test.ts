import { describe, expect, it } from 'vitest';
import { stepsInExpression } from './references';
import { isNodeId, newNodeId } from './node-ids';

describe('node ids', () => {
  it('are 12 URL-safe characters starting with a letter, and distinct', () => {
    const ids = Array.from({ length: 2_000 }, () => newNodeId());
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z][A-Za-z0-9]{11}$/);
      expect(isNodeId(id)).toBe(true);
      expect(encodeURIComponent(id)).toBe(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('read back from $steps.<id> in an expression', () => {
    const id = newNodeId();
    expect(stepsInExpression(`$steps.${id}.output.name & "!"`)).toEqual([id]);
  });

  it('v1 ids stay valid; names with spaces are not ids', () => {
    expect(isNodeId('trigger')).toBe(true);
    expect(isNodeId('Create account')).toBe(false);
    expect(isNodeId('')).toBe(false);
  });
});

describe('stepsInExpression', () => {
  it.each([
    ['$steps.a.x + $steps.b_2.y', ['a', 'b_2']],
    ['$steps.`my-step`.x', ['my-step']],
    ['$steps["q"].x & $steps[\'r\']', ['q', 'r']],
    ['$stepsX.a & $step.b', []],
  ])('%s', (expr, ids) => {
    expect(stepsInExpression(expr)).toEqual(ids);
  });
});
