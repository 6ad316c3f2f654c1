import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId', () => {
  it('makes 26-character Crockford ULIDs that sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('encodes the time in the first 10 characters', () => {
    const a = newId(Date.UTC(2030, 0, 1));
    const b = newId(Date.UTC(2031, 0, 1));
    expect(a.slice(0, 10) < b.slice(0, 10)).toBe(true);
  });
});
