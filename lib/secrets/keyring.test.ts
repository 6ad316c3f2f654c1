import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from './errors';
import { KEY_FILE_NAME, loadKeyring } from './keyring';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dfd-keyring-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadKeyring', () => {
  const bytes = randomBytes(32);

  it('accepts the same key as base64, base64url or hex, with the same key id', () => {
    const ids = [bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), bytes.toString('hex').toUpperCase()].map(
      (APP_ENCRYPTION_KEY) => loadKeyring({ env: { APP_ENCRYPTION_KEY } }).current.id,
    );
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}$/);
  });

  it.each([
    ['too short', 'abc'],
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['63 hex chars', randomBytes(32).toString('hex').slice(1)],
    ['not base64', '!'.repeat(44)],
  ])('rejects a malformed APP_ENCRYPTION_KEY (%s) with a clear message that does not echo it', (_label, value) => {
    let caught: unknown;
    try {
      loadKeyring({ env: { APP_ENCRYPTION_KEY: value } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toMatch(/^APP_ENCRYPTION_KEY is not a valid encryption key: it must be 32 random bytes/);
    expect(message).not.toContain(value);
  });

  it('reads previous keys, names a malformed one, and drops one equal to the current key', () => {
    const old = randomBytes(32);
    const ring = loadKeyring({
      env: {
        APP_ENCRYPTION_KEY: bytes.toString('base64'),
        APP_ENCRYPTION_KEY_PREVIOUS: ` ${old.toString('hex')} , ${bytes.toString('base64')}`,
      },
    });
    expect(ring.previous).toHaveLength(1);
    expect(() =>
      loadKeyring({ env: { APP_ENCRYPTION_KEY: bytes.toString('base64'), APP_ENCRYPTION_KEY_PREVIOUS: `${old.toString('hex')},nope` } }),
    ).toThrow(/APP_ENCRYPTION_KEY_PREVIOUS \(key 2\) is not a valid encryption key/);
  });

  it('generates a key file with mode 0600 on first start and reuses it afterwards', () => {
    const dataDir = join(tempDir(), 'data');
    const first = loadKeyring({ env: {}, dataDir });
    expect(first.source).toBe('generated');
    const file = join(dataDir, KEY_FILE_NAME);
    expect(first.keyFile).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    const second = loadKeyring({ env: {}, dataDir });
    expect(second.source).toBe('file');
    expect(second.current.id).toBe(first.current.id);
  });

  it('prefers APP_ENCRYPTION_KEY over the key file and DATA_DIR from the environment', () => {
    const dataDir = tempDir();
    const fromEnvDir = loadKeyring({ env: { DATA_DIR: dataDir } });
    expect(fromEnvDir.keyFile).toBe(join(dataDir, KEY_FILE_NAME));
    const ring = loadKeyring({ env: { DATA_DIR: dataDir, APP_ENCRYPTION_KEY: bytes.toString('base64') } });
    expect(ring.source).toBe('env');
    expect(ring.current.id).not.toBe(fromEnvDir.current.id);
  });

  it.skipIf(process.platform === 'win32')('refuses a key file other users can read', () => {
    const dataDir = tempDir();
    const file = join(dataDir, KEY_FILE_NAME);
    writeFileSync(file, `${bytes.toString('base64')}\n`, { mode: 0o600 });
    chmodSync(file, 0o644);
    expect(() => loadKeyring({ env: {}, dataDir })).toThrow(/accessible to other users \(mode 644\).*chmod 600/);
  });

  it('rejects a corrupted key file', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, KEY_FILE_NAME), 'garbage\n', { mode: 0o600 });
    expect(() => loadKeyring({ env: {}, dataDir })).toThrow(/encryption\.key is not a valid encryption key/);
  });

  it('never shows key material when logged', () => {
    const ring = loadKeyring({ env: { APP_ENCRYPTION_KEY: bytes.toString('base64') } });
    const printed = `${JSON.stringify(ring)} ${String(ring.current.key)}`;
    expect(printed).not.toContain(bytes.toString('base64'));
    expect(printed).not.toContain(bytes.toString('hex'));
  });
});
