import { describe, expect, it } from 'vitest';
import { contactParts } from '../../../test/fixtures/contact-metadata';
import { normalizeTableSchema } from './normalize-table-schema';
import { detectDrift } from './schema-drift';
import type { TableSchema } from './types';

const before = normalizeTableSchema(contactParts);
const change = (fn: (t: TableSchema) => void): TableSchema => {
  const copy = structuredClone(before);
  fn(copy);
  return copy;
};

describe('detectDrift', () => {
  it('finds nothing between identical snapshots', () => {
    expect(detectDrift(before, structuredClone(before))).toEqual([]);
  });

  it('reports a removed mapped column, and ignores unmapped ones', () => {
    const after = change((t) => {
      t.columns = t.columns.filter((c) => c.logicalName !== 'new_loyaltypoints' && c.logicalName !== 'firstname');
    });
    const findings = detectDrift(before, after, { mappedColumns: ['new_loyaltypoints', 'lastname'] });
    expect(findings).toEqual([expect.objectContaining({ kind: 'column_removed', column: 'new_loyaltypoints' })]);
    expect(findings[0]?.message).toContain('Loyalty Points');
  });

  it('reports a retyped column', () => {
    const after = change((t) => {
      const c = t.columns.find((x) => x.logicalName === 'new_loyaltypoints');
      if (c) c.type = 'string';
    });
    expect(detectDrift(before, after)).toEqual([
      expect.objectContaining({
        kind: 'column_retyped',
        column: 'new_loyaltypoints',
        message: expect.stringContaining('integer to string'),
      }),
    ]);
  });

  it('reports removed choices, removed lookup targets and lost writability', () => {
    const after = change((t) => {
      for (const c of t.columns) {
        if (c.logicalName === 'gendercode') c.choices = c.choices?.filter((o) => o.value !== 2);
        if (c.logicalName === 'parentcustomerid') c.targets = c.targets?.filter((x) => x.table !== 'contact');
        if (c.logicalName === 'lastname') c.validForUpdate = false;
      }
    });
    const kinds = detectDrift(before, after, { writes: 'update' }).map((f) => `${f.kind}:${f.column}`);
    expect(kinds.sort()).toEqual(['choice_removed:gendercode', 'lookup_target_removed:parentcustomerid', 'not_writable:lastname']);
  });

  it('reports a removed table', () => {
    expect(detectDrift(before, null)).toEqual([expect.objectContaining({ kind: 'table_removed', table: 'contact' })]);
  });
});
