// Test support (imported by *.test.ts only): a fresh, migrated database of either kind, so every
// test file owns its data and files run in parallel. PostgreSQL comes from test/global-setup.ts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseKind, type Db } from '../../lib/db/database';
import { migrateToLatest } from '../../lib/db/migrate';
import { createUser, type User } from '../../lib/db/repositories/users';

export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'postgres'];

export interface TestDb extends Db {
  /** How to reach the same database from a child process: `DATABASE_URL` or `DATA_DIR`. */
  env: { DATABASE_URL?: string; DATA_DIR?: string };
}

/** Opens a new empty database of `kind` (migrated unless `migrate: false`); close() deletes it. */
export async function openTestDb(kind: DatabaseKind, opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const testDb = kind === 'sqlite' ? await openSqliteTestDb() : await openPostgresTestDb();
  if (opts.migrate !== false) await migrateToLatest(testDb);
  return testDb;
}

async function openSqliteTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'dfd-sqlite-'));
  const db = await openDatabase({ sqlitePath: join(dir, 'app.db') });
  return {
    ...db,
    env: { DATA_DIR: dir },
    close: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgresTestDb(): Promise<TestDb> {
  const serverUrl = new URL(inject('postgresUrl'));
  const name = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  return {
    ...db,
    env: { DATABASE_URL: url.toString() },
    close: async () => {
      await db.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(serverUrl: URL, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl.toString() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Creates a user with a unique email; `label` makes failures readable. */
export function createTestUser(db: Db, label = 'user'): Promise<User> {
  return createUser(db, {
    email: `${label}-${randomBytes(4).toString('hex')}@example.test`,
    name: label,
    passwordHash: 'scrypt$test',
  });
}
