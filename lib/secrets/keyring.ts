import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath, resolveDataDir, type Env } from '../config/data-dir';
import { processSingleton, processSlot } from '../process-singleton';
import { ConfigError } from './errors';
import { entryFromBytes, parseKey, type KeyEntry } from './key-material';

export type { KeyEntry } from './key-material';

/** The keys this process may use: one to encrypt with, older ones that still decrypt. */
export interface Keyring {
  current: KeyEntry;
  /** From `APP_ENCRYPTION_KEY_PREVIOUS`; decrypt only, until `reencryptStoredSecrets` has run. */
  previous: readonly KeyEntry[];
  /** Where the current key came from; `generated` means a new key file was written just now. */
  source: 'env' | 'file' | 'generated';
  /** The key file when source is `file` or `generated`. */
  keyFile?: string;
}

export const KEY_FILE_NAME = 'encryption.key';

/**
 * Builds the keyring: `APP_ENCRYPTION_KEY` when set, else `${dataDir}/encryption.key`, generated
 * (mode 0600) on first start. `APP_ENCRYPTION_KEY_PREVIOUS` (comma-separated) adds keys that still
 * decrypt. Throws ConfigError with an operator-readable message for a malformed key or an unsafe key file.
 * @example const keyring = loadKeyring({ env: { APP_ENCRYPTION_KEY: 'base64…' } });
 */
export function loadKeyring(opts: { env?: Env; dataDir?: string } = {}): Keyring {
  const env = opts.env ?? process.env;
  const previous = (env.APP_ENCRYPTION_KEY_PREVIOUS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s, i) => parseKey(s, `APP_ENCRYPTION_KEY_PREVIOUS (key ${i + 1})`));

  const fromEnv = env.APP_ENCRYPTION_KEY?.trim();
  let keyring: Keyring;
  if (fromEnv) {
    keyring = { current: parseKey(fromEnv, 'APP_ENCRYPTION_KEY'), previous, source: 'env' };
  } else {
    const keyFile = join(opts.dataDir ?? resolveDataDir(env), KEY_FILE_NAME);
    const existing = readKeyFile(keyFile);
    keyring = existing
      ? { current: existing, previous, source: 'file', keyFile }
      : { current: createKeyFile(keyFile), previous, source: 'generated', keyFile };
  }
  return { ...keyring, previous: keyring.previous.filter((k) => k.id !== keyring.current.id) };
}

function readKeyFile(file: string): KeyEntry | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`Cannot read the encryption key file ${displayPath(file)}: ${(err as Error).message}`);
  }
  // Like ssh with private keys: a key others can read protects nothing, so refuse rather than warn.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new ConfigError(
      `The encryption key file ${displayPath(file)} is accessible to other users (mode ${(mode & 0o777).toString(8)}). ` +
        `It protects every stored secret; restrict it with: chmod 600 ${displayPath(file)}`,
    );
  }
  return parseKey(readFileSync(file, 'utf8'), `The encryption key file ${displayPath(file)}`);
}

function createKeyFile(file: string): KeyEntry {
  const dir = join(file, '..');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const bytes = randomBytes(32);
    // 'wx' fails if another process created the file first; then its key is the one to use.
    writeFileSync(file, `${bytes.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
    return entryFromBytes(bytes);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = readKeyFile(file);
      if (raced) return raced;
    }
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`Cannot create the encryption key file ${displayPath(file)}: ${(err as Error).message}`);
  }
}

/** Removes a key file this process generated but must not keep (see verifyKeyring in lib/db/key-check). */
export function discardGeneratedKeyFile(keyring: Keyring): void {
  if (keyring.source === 'generated' && keyring.keyFile) {
    try {
      unlinkSync(keyring.keyFile);
    } catch {
      // Already gone.
    }
  }
}

const processKeyring = processSlot<Keyring>('keyring');

/** The keyring of this process, loaded from the environment on first use (a process singleton
 * because Next reloads modules). */
export function getProcessKeyring(): Keyring {
  return processSingleton('keyring', () => loadKeyring());
}

/** Replaces (or with `undefined`, forgets) the process keyring; for start-up code and tests. */
export function setProcessKeyring(keyring: Keyring | undefined): void {
  processKeyring.set(keyring);
}
