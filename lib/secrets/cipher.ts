import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretDecryptError } from './errors';
import type { Keyring } from './keyring';

// The version prefix lets a later format (another cipher, KDF or AAD) coexist with stored v1 values.
const FORMAT_VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Encrypts with the keyring's current key: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts).
 * A fresh random IV each time, so equal plaintexts give different ciphertexts. The `v1.<keyId>`
 * header is authenticated too (AAD), so it cannot be edited without failing decryption.
 */
export function encryptWith(keyring: Keyring, plaintext: string): string {
  const { id, key } = keyring.current;
  const header = `${FORMAT_VERSION}.${id}`;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(header, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [header, iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
}

/** The key id a ciphertext names, or undefined when it is not in a known format. */
export function keyIdOf(ciphertext: string): string | undefined {
  const parts = ciphertext.split('.');
  return parts.length === 5 && parts[0] === FORMAT_VERSION ? parts[1] : undefined;
}

/**
 * Decrypts a value made by `encryptWith` under any key of the keyring (current or previous).
 * Throws SecretDecryptError when it is malformed, names an unknown key, or fails authentication.
 */
export function decryptWith(keyring: Keyring, ciphertext: string): string {
  const parts = ciphertext.split('.');
  if (parts.length !== 5) throw new SecretDecryptError('encrypted value is malformed');
  const [version, keyId, ivText, tagText, bodyText] = parts as [string, string, string, string, string];
  if (version !== FORMAT_VERSION) throw new SecretDecryptError(`unsupported encryption format "${version}"`);
  const candidates = [keyring.current, ...keyring.previous].filter((k) => k.id === keyId);
  if (candidates.length === 0) {
    throw new SecretDecryptError(
      `value was encrypted with key ${keyId}, which is neither APP_ENCRYPTION_KEY nor listed in APP_ENCRYPTION_KEY_PREVIOUS`,
    );
  }
  const iv = strictBase64url(ivText);
  const tag = strictBase64url(tagText);
  const body = strictBase64url(bodyText);
  if (!iv || !tag || !body || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretDecryptError('encrypted value is malformed');
  }
  for (const { key } of candidates) {
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(`${version}.${keyId}`, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      // Authentication failed under this key; try the next with the same id (ids are 32 bits).
    }
  }
  throw new SecretDecryptError('encrypted value failed authentication (tampered, or encrypted under another key)');
}

// Node's base64 decoder skips invalid characters and ignores trailing bits, so a changed character
// could decode to the same bytes; only the canonical encoding of the bytes is accepted.
function strictBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
