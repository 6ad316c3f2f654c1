import { describe, expect, it } from 'vitest';
import { minimalChange } from './text-change';

const apply = (text: string, c: ReturnType<typeof minimalChange>) => (c ? text.slice(0, c.from) + c.insert + text.slice(c.to) : text);

describe('minimalChange', () => {
  it('is null for equal texts', () => {
    expect(minimalChange('$a', '$a')).toBeNull();
  });

  it('replaces only the middle that differs', () => {
    expect(minimalChange('$trigger.a & "x"', '$trigger.b & "x"')).toEqual({ from: 9, to: 10, insert: 'b' });
    expect(minimalChange('$a', '$a.b')).toEqual({ from: 2, to: 2, insert: '.b' });
    expect(minimalChange('$a.b', '$a')).toEqual({ from: 2, to: 4, insert: '' });
    expect(minimalChange('', 'x')).toEqual({ from: 0, to: 0, insert: 'x' });
  });

  it('does not let the common start and end overlap on repeated characters', () => {
    for (const [a, b] of [
      ['aaa', 'aa'],
      ['aa', 'aaa'],
      ['abab', 'ab'],
      ['x', ''],
      ['$steps.a.b', '$steps.b'],
    ] as const) {
      expect(apply(a, minimalChange(a, b))).toBe(b);
    }
  });
});
