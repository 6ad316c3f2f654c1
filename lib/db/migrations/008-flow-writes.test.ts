import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, openTestDb, type TestDb } from '../../../test/support/db';
import * as m008 from './008-flow-writes';

describe.each(DATABASE_KINDS)('migration 008 on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('flow_writes holds epoch-ms writes and is found by (flow, table, record); down drops it, up restores it', async () => {
    const at = Date.UTC(2026, 11, 2, 12, 0, 0, 123);
    await db.db
      .insertInto('flow_writes')
      .values({ flow_id: 'f1', owner_id: 'u1', table_name: 'lead', record_id: 'r1', written_at: at })
      .execute();
    const row = await db.db
      .selectFrom('flow_writes')
      .select('written_at')
      .where('flow_id', '=', 'f1')
      .where('table_name', '=', 'lead')
      .where('record_id', '=', 'r1')
      .where('written_at', '>=', at - 1)
      .executeTakeFirstOrThrow();
    expect(Number(row.written_at)).toBe(at);
    const raw = db.db as unknown as Kysely<unknown>;
    await m008.down(raw);
    await expect(db.db.selectFrom('flow_writes').selectAll().execute()).rejects.toThrow();
    await m008.up(raw);
    expect(await db.db.selectFrom('flow_writes').selectAll().execute()).toEqual([]);
  });
});
