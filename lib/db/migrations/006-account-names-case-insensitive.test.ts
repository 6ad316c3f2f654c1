import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '../../../test/support/db';
import { isUniqueViolation } from '../errors';
import { migrateToLatest } from '../migrate';
import * as m006 from './006-account-names-case-insensitive';

describe.each(DATABASE_KINDS)('migration 006 on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('tells apart names that differ only by case, then refuses such names; down allows them again', async () => {
    const user = await createTestUser(db, 'case');
    const other = await createTestUser(db, 'other');
    const raw = db.db as unknown as Kysely<unknown>;
    await m006.down(raw);
    let minute = 0;
    const row = (id: string, name: string, ownerId = user.id, application = 'dynamics') => ({
      id,
      owner_id: ownerId,
      application,
      name,
      service_url: 'https://o.crm.dynamics.com',
      api_version: 'v9.2',
      identity_endpoint: 'https://login.microsoftonline.com/organizations',
      auth_method: 'password' as const,
      config_json: '{}',
      status: 'connected' as const,
      created_at: `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`,
      updated_at: `2026-01-01T00:${String(minute++).padStart(2, '0')}:00.000Z`,
    });
    await db.db
      .insertInto('accounts')
      .values([
        row('a', 'Sales'),
        row('b', 'SALES'),
        row('c', 'sales'),
        row('d', 'Sales (2)'),
        row('e', 'Support'),
        row('f', 'sales', other.id),
        row('g', 'SALES', user.id, 'scheduler'),
      ])
      .execute();

    await m006.up(raw);
    const names = Object.fromEntries((await db.db.selectFrom('accounts').select(['id', 'name']).execute()).map((r) => [r.id, r.name]));
    // The oldest keeps its name; "Sales (2)" was taken already, so the others become (3) and (4).
    expect(names).toEqual({ a: 'Sales', b: 'SALES (3)', c: 'sales (4)', d: 'Sales (2)', e: 'Support', f: 'sales', g: 'SALES' });

    await expect(db.db.insertInto('accounts').values(row('h', 'sUPPORT')).execute()).rejects.toSatisfy(isUniqueViolation);
    await db.db
      .insertInto('accounts')
      .values(row('i', 'support', other.id))
      .execute();

    await m006.down(raw);
    await db.db.insertInto('accounts').values(row('j', 'sUPPORT')).execute();
    await db.db.deleteFrom('accounts').where('id', '=', 'j').execute();
    await m006.up(raw);
    expect((await migrateToLatest(db)).applied).toEqual([]);
  });
});
