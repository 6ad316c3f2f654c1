import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '../../../test/support/db';
import { migrateToLatest } from '../migrate';
import * as m003 from './003-dynamics-application-id';

describe.each(DATABASE_KINDS)('migration 003 on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("moves accounts stored under 'dynamics365-sales' to the connector's id 'dynamics', and back on down", async () => {
    const user = await createTestUser(db, 'legacy');
    const now = new Date().toISOString();
    const row = (id: string, application: string) => ({
      id,
      owner_id: user.id,
      application,
      name: id,
      service_url: 'https://o.crm.dynamics.com',
      api_version: 'v9.2',
      identity_endpoint: 'https://login.microsoftonline.com/organizations',
      auth_method: 'password' as const,
      config_json: '{}',
      status: 'connected' as const,
      created_at: now,
      updated_at: now,
    });
    await db.db
      .insertInto('accounts')
      .values([row('old', 'dynamics365-sales'), row('other', 'scheduler')])
      .execute();
    const raw = db.db as unknown as Kysely<unknown>;
    await m003.up(raw);
    const apps = async () =>
      Object.fromEntries((await db.db.selectFrom('accounts').select(['id', 'application']).execute()).map((r) => [r.id, r.application]));
    expect(await apps()).toEqual({ old: 'dynamics', other: 'scheduler' });
    await m003.down(raw);
    expect(await apps()).toEqual({ old: 'dynamics365-sales', other: 'scheduler' });
    await m003.up(raw);
    expect((await migrateToLatest(db)).applied).toEqual([]);
  });
});
