import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../secrets/errors';
import { KEY_CHECK_SETTING } from './key-check';
import { setProcessKeyring } from '../secrets/keyring';
import { closeDb, getDb } from './database';
import { countUsers } from './repositories/users';

describe('getDb', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dfd-getdb-'));
    delete process.env.DATABASE_URL;
    delete process.env.APP_ENCRYPTION_KEY_PREVIOUS;
    process.env.DATA_DIR = dir;
    process.env.APP_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  });
  afterAll(async () => {
    await closeDb();
    setProcessKeyring(undefined);
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens one migrated SQLite database for the process and records the key check', async () => {
    const [a, b] = await Promise.all([getDb(), getDb()]);
    expect(a).toBe(b);
    expect(a.kind).toBe('sqlite');
    expect(a.label).toContain('app.db');
    expect(await countUsers(a)).toBe(0);
    const check = await a.db.selectFrom('app_settings').select('value').where('key', '=', KEY_CHECK_SETTING).executeTakeFirst();
    expect(check?.value).toMatch(/^v1\./);
  });

  it('refuses to start with another key, and starts again once the key is right', async () => {
    await closeDb();
    const right = process.env.APP_ENCRYPTION_KEY;
    process.env.APP_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    setProcessKeyring(undefined);
    await expect(getDb()).rejects.toBeInstanceOf(ConfigError);
    process.env.APP_ENCRYPTION_KEY = right;
    setProcessKeyring(undefined);
    await expect(getDb()).resolves.toMatchObject({ kind: 'sqlite' });
  });
});
