import { reencryptSecret } from '../secrets/reencrypt';
import { getProcessKeyring, type Keyring } from '../secrets/keyring';
import type { Db } from './handle';
import { rewriteKeyCheck } from './key-check';

/**
 * Key rotation, step two: re-encrypts every stored secret still under a previous key, then moves the
 * key check to the current key. Afterwards APP_ENCRYPTION_KEY_PREVIOUS can be removed.
 * This is the one installation-wide pass over every owner's accounts: rotation belongs to no user.
 * @example const { reencrypted } = await reencryptStoredSecrets(db);
 */
export async function reencryptStoredSecrets(db: Db, keyring: Keyring = getProcessKeyring()): Promise<{ reencrypted: number }> {
  const stale = await db.db
    .selectFrom('accounts')
    .select(['id', 'secrets_enc'])
    .where('secrets_enc', 'is not', null)
    .where('secrets_enc', 'not like', `v1.${keyring.current.id}.%`)
    .execute();
  let reencrypted = 0;
  for (const row of stale) {
    if (row.secrets_enc === null) continue;
    const next = reencryptSecret(row.secrets_enc, keyring);
    // Compare-and-set: a concurrent credential update wins over this rewrite of the old value.
    const result = await db.db
      .updateTable('accounts')
      .set({ secrets_enc: next })
      .where('id', '=', row.id)
      .where('secrets_enc', '=', row.secrets_enc)
      .executeTakeFirst();
    reencrypted += Number(result.numUpdatedRows);
  }
  await rewriteKeyCheck(db, keyring);
  return { reencrypted };
}
