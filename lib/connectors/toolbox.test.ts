import { describe, expect, it } from 'vitest';
import { NODE_KINDS } from '@/lib/flows/model/node-kinds';
import { TOOLBOX } from './toolbox';

describe('toolbox descriptors', () => {
  const entries = TOOLBOX.flatMap((a) => [...a.events, ...a.actions]);

  it('describe every fixed node kind of the flow model, with the same category', () => {
    const fixedKinds = NODE_KINDS.filter((k) => !k.key.startsWith('dynamics.'));
    expect(fixedKinds.length).toBeGreaterThan(8);
    for (const kind of fixedKinds) {
      const entry = entries.find((e) => e.id === kind.key);
      expect(entry, kind.key).toBeDefined();
      expect(entry?.kind, kind.key).toBe(kind.category === 'trigger' ? 'trigger' : 'action');
    }
  });

  it('has no descriptor the flow model cannot hold', () => {
    for (const entry of entries)
      expect(
        NODE_KINDS.some((k) => k.matches(entry.id)),
        entry.id,
      ).toBe(true);
  });
});
