import { describe, expect, it } from 'vitest';
import { processSingleton, processSlot } from './process-singleton';

describe('processSingleton', () => {
  it('creates a value once per name and returns the same one after', () => {
    let created = 0;
    const make = () => ({ n: ++created });
    const a = processSingleton('test.a', make);
    expect(processSingleton('test.a', make)).toBe(a);
    expect(processSingleton('test.b', make)).not.toBe(a);
    expect(created).toBe(2);
  });

  it('shares its value with processSlot, which replaces or forgets it', () => {
    const slot = processSlot<{ n: number }>('test.slot');
    expect(slot.get()).toBeUndefined();
    const first = processSingleton('test.slot', () => ({ n: 1 }));
    expect(slot.get()).toBe(first);
    const replacement = { n: 2 };
    slot.set(replacement);
    expect(processSingleton('test.slot', () => ({ n: 3 }))).toBe(replacement);
    slot.set(undefined);
    expect(slot.get()).toBeUndefined();
    expect(processSingleton('test.slot', () => ({ n: 4 })).n).toBe(4);
    // One value per process: a second slot object for the same name sees the same value.
    expect(processSlot('test.slot').get()).toBe(slot.get());
  });
});
