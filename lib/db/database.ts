import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { displayPath, resolveDataDir, type Env } from '../config/data-dir';
import { processSingleton, processSlot } from '../process-singleton';
import { ConfigError } from '../secrets/errors';
import type { Db } from './handle';
import { verifyKeyring } from './key-check';
import { migrateToLatest } from './migrate';
import { withStatementCache } from './statement-cache';
import type { DB } from './schema';

export type { DatabaseKind, Db } from './handle';

export interface OpenDatabaseOptions {
  /** A `postgres://` URL. Wins over `sqlitePath`. */
  url?: string;
  /** Path of the SQLite file (or `:memory:`); its folder is created when missing. */
  sqlitePath?: string;
  /** Where to read `DATABASE_URL` / `DATA_DIR` when neither option is given. */
  env?: Env;
}

/**
 * Opens the database without migrating it: PostgreSQL for `url` (or `DATABASE_URL`), else SQLite at
 * `sqlitePath` (or `${DATA_DIR:-./data}/app.db`). Throws ConfigError when it cannot be opened.
 * @example const { db } = await openDatabase({ sqlitePath: ':memory:' });
 */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Db> {
  const env = opts.env ?? process.env;
  const url = opts.url?.trim() || (opts.sqlitePath === undefined ? env.DATABASE_URL?.trim() : undefined);
  if (url) return openPostgres(url, env);
  return openSqlite(opts.sqlitePath ?? defaultSqlitePath(env));
}

/** `${DATA_DIR:-./data}/app.db`, absolute. */
export function defaultSqlitePath(env: Env = process.env): string {
  return join(resolveDataDir(env), 'app.db');
}

async function openSqlite(path: string): Promise<Db> {
  const { default: Database } = await import('better-sqlite3');
  const inMemory = path === ':memory:';
  const file = inMemory ? path : resolve(path);
  let sqlite: InstanceType<typeof Database>;
  try {
    if (!inMemory) mkdirSync(dirname(file), { recursive: true });
    sqlite = new Database(file);
    // WAL lets readers proceed while a write commits; busy_timeout makes a second process (the
    // migrate command, a worker) wait for the lock instead of failing at once.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    // SQLite ignores foreign keys unless asked, per connection.
    sqlite.pragma('foreign_keys = ON');
  } catch (err) {
    throw new ConfigError(`Cannot open the SQLite database at ${displayPath(file)}: ${messageOf(err)}`, { cause: err });
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    kind: 'sqlite',
    label: inMemory ? ':memory:' : displayPath(file),
    close: () => db.destroy(),
  };
}

async function openPostgres(url: string, env: Env): Promise<Db> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//); unset it to use the embedded SQLite database`,
    );
  }
  const label = `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
  const pg = await import('pg');
  const Pool = pg.default.Pool;
  const max = Number(env.DATABASE_POOL_MAX ?? '10');
  const pool = new Pool({ connectionString: url, max: Number.isInteger(max) && max > 0 ? max : 10 });
  // An idle client dropped by the server (restart, failover) must not crash the process; the pool
  // discards it and the next query opens a new connection.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new ConfigError(`Cannot connect to PostgreSQL at ${label} (DATABASE_URL): ${messageOf(err)}`, { cause: err });
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', label, close: () => db.destroy() };
}

function messageOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return messageOf(err.errors[0]);
  return err instanceof Error ? err.message || (err as { code?: string }).code || err.name : String(err);
}

const processDb = processSlot<Promise<Db>>('db');

/**
 * The process-wide database from `DATABASE_URL` / `DATA_DIR`, opened once (a process singleton
 * because Next reloads modules). The first call migrates it and verifies the encryption key, so
 * nothing is ever written under the wrong key; a failed start is retried on the next call.
 * @example const db = await getDb(); const user = await findUserById(db, id);
 */
export function getDb(): Promise<Db> {
  return processSingleton('db', () => {
    const started = startDatabase();
    started.catch(() => {
      if (processDb.get() === started) processDb.set(undefined);
    });
    return started;
  });
}

/** Closes the process-wide database (graceful shutdown, tests). The next getDb() opens it again. */
export async function closeDb(): Promise<void> {
  const pending = processDb.get();
  processDb.set(undefined);
  if (pending) await (await pending.catch(() => undefined))?.close();
}

async function startDatabase(): Promise<Db> {
  const db = await openDatabase();
  try {
    await migrateToLatest(db);
    await verifyKeyring(db);
    return db;
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}
