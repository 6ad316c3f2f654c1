import { describe, expect, it } from 'vitest';
import { processSingleton } from './process-singleton';

describe('processSingleton', () => {
  it('creates a value once per name and returns the same one after', () => {
    let created = 0;
    const make = () => ({ n: ++created });
    const a = processSingleton('test.a', make);
    expect(processSingleton('test.a', make)).toBe(a);
    expect(processSingleton('test.b', make)).not.toBe(a);
    expect(created).toBe(2);
  });
});
