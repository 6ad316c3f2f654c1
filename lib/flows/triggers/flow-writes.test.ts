import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { FLOW_WRITES_RETENTION_MS, isOwnWrite, OWN_WRITE_WINDOW_MS, pruneFlowWrites, recordFlowWrite } from './flow-writes';

describe.each(DATABASE_KINDS)('flow writes on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(() => db.close());

  const at = Date.UTC(2026, 11, 2, 12, 0, 0, 400);
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

  it('a change inside the window after the flow wrote it is its own; others and later ones are not', async () => {
    await recordFlowWrite(db, { ownerId: 'u1', flowId: 'f1', table: 'lead', recordId: 'ABC', at });
    expect(await isOwnWrite(db, 'f1', 'lead', 'abc', iso(at))).toBe(true); // same second (stamp truncated)
    expect(await isOwnWrite(db, 'f1', 'lead', 'abc', iso(at + OWN_WRITE_WINDOW_MS - 1_000))).toBe(true);
    expect(await isOwnWrite(db, 'f1', 'lead', 'abc', iso(at + OWN_WRITE_WINDOW_MS + 1_000))).toBe(false); // someone else, later
    expect(await isOwnWrite(db, 'f1', 'lead', 'abc', iso(at - 5_000))).toBe(false); // a change before the write
    expect(await isOwnWrite(db, 'f2', 'lead', 'abc', iso(at))).toBe(false); // another flow
    expect(await isOwnWrite(db, 'f1', 'contact', 'abc', iso(at))).toBe(false);
    expect(await isOwnWrite(db, 'f1', 'lead', 'abc', 'not a date')).toBe(false);
  });

  it('prunes writes past the retention only', async () => {
    await recordFlowWrite(db, { ownerId: 'u1', flowId: 'f1', table: 'lead', recordId: 'old', at: at - FLOW_WRITES_RETENTION_MS - 1 });
    expect(await pruneFlowWrites(db, at)).toBe(1);
    expect(await isOwnWrite(db, 'f1', 'lead', 'abc', iso(at))).toBe(true);
  });
});
