import { describe, expect, it } from 'vitest';
import { changeKey } from './change-key';

const ID = '6A1B0C2D-0000-4000-8000-000000000001';

describe('change keys (the runs dedupe key)', () => {
  it('names a change by record and version; a creation by the record alone', () => {
    const v1 = { type: 'updated' as const, id: ID, record: { versionnumber: 101, modifiedon: '2026-12-02T09:00:00Z' } };
    const v2 = { ...v1, record: { versionnumber: 102, modifiedon: '2026-12-02T09:00:00Z' } };
    expect(changeKey('new_or_updated', v1, null)).toBe(`change:${ID.toLowerCase()}:101`);
    expect(changeKey('new_or_updated', v2, null)).not.toBe(changeKey('new_or_updated', v1, null)); // same second, new version
    expect(changeKey('updated', { ...v1, record: { modifiedon: '2026-12-02T09:00:00Z' } }, null)).toBe(
      `change:${ID.toLowerCase()}:2026-12-02T09:00:00Z`,
    );
    expect(changeKey('new', { type: 'new', id: ID, record: { versionnumber: 7 } }, null)).toBe(`new:${ID.toLowerCase()}`);
  });

  it('a deletion is keyed by the delta it was read from: the same on a replay, different later', () => {
    const e = { type: 'deleted' as const, id: ID };
    const from = { kind: 'delta' as const, deltaToken: 'token-1' };
    expect(changeKey('deleted', e, from)).toBe(changeKey('deleted', e, { ...from }));
    expect(changeKey('deleted', e, from)).not.toBe(changeKey('deleted', e, { kind: 'delta', deltaToken: 'token-2' }));
    expect(changeKey('deleted', e, from)).toMatch(/^deleted:6a1b0c2d-[0-9a-f-]+:[0-9a-f]{16}$/);
  });
});
