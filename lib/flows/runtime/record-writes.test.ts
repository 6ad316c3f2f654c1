import { describe, expect, it } from 'vitest';
import { dynamicsWritesOf } from './record-writes';

const run = { ownerId: 'o1', flowId: 'f1' };

describe('dynamicsWritesOf', () => {
  it('names the records a Dynamics write step wrote, and nothing for reads or other steps', () => {
    expect(dynamicsWritesOf(run, 'dynamics.contact.create', { id: 'A1' }, 5)).toEqual([
      { ownerId: 'o1', flowId: 'f1', table: 'contact', recordId: 'A1', at: 5 },
    ]);
    expect(dynamicsWritesOf(run, 'dynamics.lead.update', { updated: 2, ids: ['x', 'y'] }, 5).map((w) => w.recordId)).toEqual(['x', 'y']);
    expect(dynamicsWritesOf(run, 'dynamics.account.upsert', { id: 'u', outcome: 'created' }, 5)).toHaveLength(1);
    expect(dynamicsWritesOf(run, 'dynamics.account.delete', { deleted: 1, ids: ['d'] }, 5)).toHaveLength(1);
    expect(dynamicsWritesOf(run, 'dynamics.contact.retrieve', { records: [{ contactid: 'r' }] }, 5)).toEqual([]);
    expect(dynamicsWritesOf(run, 'toolbox.log', { id: 'x' }, 5)).toEqual([]);
    expect(dynamicsWritesOf(run, 'dynamics.contact.create', null, 5)).toEqual([]);
  });
});
