// `npm run migrate` (and the first step of `npm start`): open the database from the environment,
// migrate it, prove the encryption key fits it, finish any key rotation, and report in one line.
// Configuration problems print only their message (no stack) and exit 1.
import { displayPath } from '../config/data-dir';
import { ConfigError } from '../secrets/errors';
import { loadKeyring, setProcessKeyring } from '../secrets/keyring';
import { openDatabase } from './database';
import { verifyKeyring } from './key-check';
import { reencryptStoredSecrets } from './key-rotation';
import { migrateToLatest } from './migrate';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function main(): Promise<void> {
  // The key is read first: a malformed key should stop us before the database is touched.
  const keyring = loadKeyring();
  setProcessKeyring(keyring);
  const db = await openDatabase();
  try {
    const { applied } = await migrateToLatest(db);
    await verifyKeyring(db, keyring);
    const notes = [applied.length === 0 ? 'up to date' : `${plural(applied.length, 'migration')} applied`];
    if (keyring.source === 'generated' && keyring.keyFile) {
      notes.push(`new encryption key written to ${displayPath(keyring.keyFile)} (back it up)`);
    }
    if (keyring.previous.length > 0) {
      const { reencrypted } = await reencryptStoredSecrets(db, keyring);
      notes.push(`${plural(reencrypted, 'secret')} re-encrypted to key ${keyring.current.id}`);
    }
    console.log(`database: ${db.kind} ${db.label} — ${notes.join(', ')}`);
  } finally {
    await db.close();
  }
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error('database migration failed:', err);
    process.exitCode = 1;
  },
);
