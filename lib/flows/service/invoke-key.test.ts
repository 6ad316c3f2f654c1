import { describe, expect, it } from 'vitest';
import { hashInvokeKey, invokeKeyMatches, newInvokeKey } from './invoke-key';

describe('invoke keys', () => {
  it('match only the key they were made from', () => {
    const { key, hash, prefix } = newInvokeKey();
    expect(key.startsWith(prefix)).toBe(true);
    expect(invokeKeyMatches(key, hash)).toBe(true);
    expect(invokeKeyMatches(`${key}x`, hash)).toBe(false);
    expect(invokeKeyMatches(key.slice(0, -1), hash)).toBe(false);
    expect(invokeKeyMatches('', hash)).toBe(false);
    expect(invokeKeyMatches(key, null)).toBe(false);
    expect(invokeKeyMatches(key, 'not-hex')).toBe(false);
  });

  it('are random and stored only as a hash', () => {
    const a = newInvokeKey();
    const b = newInvokeKey();
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashInvokeKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(4, 20));
  });
});
