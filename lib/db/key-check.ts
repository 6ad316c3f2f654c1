// The installation's encryption key as storage sees it: a known value encrypted under the key, kept
// in app_settings, proves at start-up that the keyring (lib/secrets) can read what this database holds.
import { displayPath } from '../config/data-dir';
import { decryptWith, encryptWith, keyIdOf } from '../secrets/cipher';
import { ConfigError, SecretDecryptError } from '../secrets/errors';
import { discardGeneratedKeyFile, getProcessKeyring, type Keyring } from '../secrets/keyring';
import type { Db } from './handle';

/** app_settings key holding a known value encrypted under the installation's key. */
export const KEY_CHECK_SETTING = 'encryption.key_check';
const KEY_CHECK_PLAINTEXT = 'dynamics-flow-designer:key-check';

/**
 * Proves the keyring can read what this database holds: on first start stores a key-check value,
 * afterwards decrypts it. Throws ConfigError when the key differs from the one the database was
 * created with, so start-up stops before anything is written under the wrong key.
 * @example await verifyKeyring(db); // at start-up, after migrateToLatest
 */
export async function verifyKeyring(db: Db, keyring: Keyring = getProcessKeyring()): Promise<void> {
  const stored = await readKeyCheck(db);
  if (stored === undefined) {
    await db.db
      .insertInto('app_settings')
      .values({ key: KEY_CHECK_SETTING, value: encryptWith(keyring, KEY_CHECK_PLAINTEXT) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    // Another process may have stored its own check first; whichever won is the truth.
    const written = await readKeyCheck(db);
    if (written === undefined) throw new Error('the encryption key check could not be stored');
    return assertMatches(written, keyring);
  }
  assertMatches(stored, keyring);
}

/** Re-stores the key check under the current key (after every secret was re-encrypted). */
export async function rewriteKeyCheck(db: Db, keyring: Keyring): Promise<void> {
  await db.db
    .updateTable('app_settings')
    .set({ value: encryptWith(keyring, KEY_CHECK_PLAINTEXT) })
    .where('key', '=', KEY_CHECK_SETTING)
    .execute();
}

async function readKeyCheck(db: Db): Promise<string | undefined> {
  const row = await db.db.selectFrom('app_settings').select('value').where('key', '=', KEY_CHECK_SETTING).executeTakeFirst();
  return row?.value;
}

function assertMatches(stored: string, keyring: Keyring): void {
  try {
    if (decryptWith(keyring, stored) === KEY_CHECK_PLAINTEXT) return;
  } catch (err) {
    if (!(err instanceof SecretDecryptError)) throw err;
  }
  const expected = keyIdOf(stored) ?? 'unknown';
  const given = keyring.current.id;
  const rotateHint = 'To rotate keys, set the new key in APP_ENCRYPTION_KEY and the old one in APP_ENCRYPTION_KEY_PREVIOUS.';
  if (keyring.source === 'env') {
    throw new ConfigError(
      `APP_ENCRYPTION_KEY does not match the key this database was created with (database key id ${expected}, ` +
        `APP_ENCRYPTION_KEY key id ${given}). Set APP_ENCRYPTION_KEY to the original key. ${rotateHint}`,
    );
  }
  const file = keyring.keyFile ? displayPath(keyring.keyFile) : 'the key file';
  if (keyring.source === 'generated') {
    // The new key file would only make the next start fail with a more confusing message.
    discardGeneratedKeyFile(keyring);
    throw new ConfigError(
      `No encryption key found: APP_ENCRYPTION_KEY is not set and ${file} does not exist, but this database ` +
        `was created with encryption key id ${expected}. Set APP_ENCRYPTION_KEY to that key or restore ${file}.`,
    );
  }
  throw new ConfigError(
    `The encryption key in ${file} (key id ${given}) does not match the key this database was created with ` +
      `(key id ${expected}). Restore the original ${file} or set APP_ENCRYPTION_KEY to the original key. ${rotateHint}`,
  );
}
