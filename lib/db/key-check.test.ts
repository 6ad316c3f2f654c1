import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, createTestUser, openTestDb, type TestDb } from '../../test/support/db';
import { decryptWith, encryptWith, keyIdOf } from '../secrets/cipher';
import { ConfigError } from '../secrets/errors';
import { entryFromBytes } from '../secrets/key-material';
import type { Keyring } from '../secrets/keyring';
import { reencryptSecret } from '../secrets/reencrypt';
import { KEY_CHECK_SETTING, verifyKeyring } from './key-check';
import { reencryptStoredSecrets } from './key-rotation';

const envRing = (current: Buffer, previous: Buffer[] = []): Keyring => ({
  current: entryFromBytes(current),
  previous: previous.map(entryFromBytes),
  source: 'env',
});

describe.each(DATABASE_KINDS)('encryption key check and rotation on %s', (kind) => {
  let db: TestDb;
  const original = randomBytes(32);
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores a key check on first start and accepts the same key afterwards', async () => {
    await verifyKeyring(db, envRing(original));
    const row = await db.db.selectFrom('app_settings').selectAll().where('key', '=', KEY_CHECK_SETTING).executeTakeFirst();
    expect(row && keyIdOf(row.value)).toBe(entryFromBytes(original).id);
    await expect(verifyKeyring(db, envRing(original))).resolves.toBeUndefined();
  });

  it('stops start-up with a clear ConfigError when the key differs', async () => {
    const err = await verifyKeyring(db, envRing(randomBytes(32))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^APP_ENCRYPTION_KEY does not match the key this database was created with/);
  });

  it('after rotation reads old secrets, re-encrypts them to the new key and then needs no old key', async () => {
    const user = await createTestUser(db, 'rotator');
    const now = new Date().toISOString();
    const oldRing = envRing(original);
    const secrets = ['{"clientSecret":"one"}', '{"password":"two"}'];
    for (const [i, plaintext] of secrets.entries()) {
      await db.db
        .insertInto('accounts')
        .values({
          id: `acc-${kind}-${i}`,
          owner_id: user.id,
          application: 'dynamics',
          name: `Account ${i}`,
          service_url: 'https://org.crm.dynamics.com',
          api_version: 'v9.2',
          identity_endpoint: 'https://login.microsoftonline.com/organizations',
          auth_method: 'password',
          config_json: '{}',
          secrets_enc: encryptWith(oldRing, plaintext),
          status: 'connected',
          created_at: now,
          updated_at: now,
        })
        .execute();
    }

    const fresh = randomBytes(32);
    const rotated = envRing(fresh, [original]);
    await verifyKeyring(db, rotated);
    const { reencrypted } = await reencryptStoredSecrets(db, rotated);
    expect(reencrypted).toBe(2);

    const onlyNew = envRing(fresh);
    await expect(verifyKeyring(db, onlyNew)).resolves.toBeUndefined();
    const rows = await db.db.selectFrom('accounts').select(['id', 'secrets_enc']).where('owner_id', '=', user.id).orderBy('id').execute();
    expect(rows.map((r) => decryptWith(onlyNew, r.secrets_enc ?? ''))).toEqual(secrets);
    expect(rows.every((r) => keyIdOf(r.secrets_enc ?? '') === onlyNew.current.id)).toBe(true);
    expect((await reencryptStoredSecrets(db, rotated)).reencrypted).toBe(0);
    await expect(verifyKeyring(db, envRing(original))).rejects.toThrow(ConfigError);
  });
});

describe('reencryptSecret', () => {
  it('keeps a value already under the current key and moves an old one', () => {
    const oldKey = randomBytes(32);
    const ring = envRing(randomBytes(32), [oldKey]);
    const current = encryptWith(ring, 'x');
    expect(reencryptSecret(current, ring)).toBe(current);
    const moved = reencryptSecret(encryptWith(envRing(oldKey), 'y'), ring);
    expect(keyIdOf(moved)).toBe(ring.current.id);
    expect(decryptWith(ring, moved)).toBe('y');
  });
});
