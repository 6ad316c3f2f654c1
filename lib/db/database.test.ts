import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../secrets/errors';
import { openDatabase } from './database';
import { migrateToLatest } from './migrate';
import { migrations } from './migrations';
import { DATABASE_KINDS, openTestDb, type TestDb } from '../../test/support/db';

describe('openDatabase', () => {
  it('creates the data folder and opens SQLite in WAL mode with foreign keys on', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dfd-open-'));
    const dataDir = join(root, 'nested', 'data');
    const db = await openDatabase({ env: { DATA_DIR: dataDir } });
    try {
      expect(db.kind).toBe('sqlite');
      expect(existsSync(join(dataDir, 'app.db'))).toBe(true);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db.db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
    } finally {
      await db.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('prefers DATABASE_URL and rejects a non-postgres URL with a ConfigError', async () => {
    await expect(openDatabase({ env: { DATABASE_URL: 'mysql://x@localhost/db' } })).rejects.toThrow(ConfigError);
    await expect(openDatabase({ env: { DATABASE_URL: 'not a url' } })).rejects.toThrow(/DATABASE_URL is not a valid URL/);
  });

  it('explains an unreachable PostgreSQL without revealing the password', async () => {
    const err = await openDatabase({ url: 'postgres://u:hunter2@127.0.0.1:1/db' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/db/);
    expect((err as Error).message).not.toContain('hunter2');
  });
});

describe.each(DATABASE_KINDS)('migrations on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('applies every migration once, then nothing', async () => {
    const first = await migrateToLatest(db);
    expect(first.applied).toEqual(Object.keys(migrations));
    const second = await migrateToLatest(db);
    expect(second.applied).toEqual([]);
  });

  it('creates every table of the schema', async () => {
    const tables = (await db.db.introspection.getTables()).map((t) => t.name).sort();
    for (const table of [
      'accounts',
      'api_tokens',
      'app_settings',
      'flow_versions',
      'flows',
      'run_steps',
      'runs',
      'trigger_state',
      'users',
    ]) {
      expect(tables).toContain(table);
    }
  });
});
