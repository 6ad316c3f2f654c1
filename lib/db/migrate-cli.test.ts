import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, openTestDb, type TestDb } from '../../test/support/db';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const STACK_LINE = /^\s+at /m;

/** Runs `tsx lib/db/migrate-cli.ts` as start-up does, with only the given configuration. */
async function migrateCli(env: Record<string, string | undefined>) {
  const childEnv = { NODE_ENV: 'test', PATH: process.env.PATH, HOME: process.env.HOME, ...env } as const;
  try {
    const { stdout, stderr } = await run(tsx, ['lib/db/migrate-cli.ts'], { cwd: root, env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe.each(DATABASE_KINDS)('migrate-cli on %s', (kind) => {
  let db: TestDb;
  let dataDir: string;
  const key = randomBytes(32).toString('base64');
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: false });
    // Key files live in DATA_DIR; with PostgreSQL it holds only that file.
    dataDir = db.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'dfd-cli-'));
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = (extra: Record<string, string | undefined> = {}) => ({ ...db.env, DATA_DIR: dataDir, ...extra });

  it('migrates a fresh database and reports it in one line', async () => {
    const result = await migrateCli(env({ APP_ENCRYPTION_KEY: key }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(new RegExp(`^database: ${kind} \\S+ — \\d+ migrations? applied$`));
    const again = await migrateCli(env({ APP_ENCRYPTION_KEY: key }));
    expect(again.stdout.trim()).toMatch(/— up to date$/);
  });

  it('stops with a clear message and no stack trace when the key is wrong', async () => {
    const result = await migrateCli(env({ APP_ENCRYPTION_KEY: randomBytes(32).toString('hex') }));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^APP_ENCRYPTION_KEY does not match the key this database was created with/);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('stops with a clear message and no stack trace when the key is malformed', async () => {
    const result = await migrateCli(env({ APP_ENCRYPTION_KEY: 'not-a-key' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^APP_ENCRYPTION_KEY is not a valid encryption key/);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('stops with a clear message when the key is missing, without leaving a new key file behind', async () => {
    const result = await migrateCli(env({ APP_ENCRYPTION_KEY: undefined }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^No encryption key found: APP_ENCRYPTION_KEY is not set/);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(dataDir, 'encryption.key'))).toBe(false);
  });

  it('accepts a rotated key with the old one as previous, after which the old key is refused', async () => {
    const next = randomBytes(32).toString('base64');
    const rotated = await migrateCli(env({ APP_ENCRYPTION_KEY: next, APP_ENCRYPTION_KEY_PREVIOUS: key }));
    expect(rotated.stderr).toBe('');
    expect(rotated.stdout).toMatch(/0 secrets re-encrypted/);
    expect((await migrateCli(env({ APP_ENCRYPTION_KEY: next }))).code).toBe(0);
    expect((await migrateCli(env({ APP_ENCRYPTION_KEY: key }))).code).toBe(1);
  });
});

describe('migrate-cli with a generated key file', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb('sqlite', { migrate: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('writes the key file once (mode 0600) and needs it from then on', async () => {
    const dataDir = db.env.DATA_DIR ?? '';
    const first = await migrateCli({ DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/new encryption key written to .*encryption\.key/);
    const keyFile = join(dataDir, 'encryption.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect((await migrateCli({ DATA_DIR: dataDir })).stdout).toMatch(/up to date$/m);
    renameSync(keyFile, `${keyFile}.bak`);
    const missing = await migrateCli({ DATA_DIR: dataDir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^No encryption key found/);
    renameSync(`${keyFile}.bak`, keyFile);
    expect((await migrateCli({ DATA_DIR: dataDir })).code).toBe(0);
  });
});
