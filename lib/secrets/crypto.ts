// Secrets at rest: AES-256-GCM under the process keyring. This module is the public surface;
// the pieces live in cipher.ts, keyring.ts and reencrypt.ts. lib/secrets knows no storage: the
// stored key check and the re-encryption of stored secrets are lib/db's (key-check.ts, key-rotation.ts).
import { decryptWith, encryptWith } from './cipher';
import { getProcessKeyring } from './keyring';

/**
 * Encrypts a secret with the process keyring's current key (`v1.<keyId>.<iv>.<tag>.<ct>`).
 * @example const stored = encryptSecret('client-secret-value');
 */
export function encryptSecret(plaintext: string): string {
  return encryptWith(getProcessKeyring(), plaintext);
}

/**
 * Decrypts a value from `encryptSecret` under the current or a previous key.
 * Throws SecretDecryptError on tampering, a malformed value or an unknown key.
 */
export function decryptSecret(ciphertext: string): string {
  return decryptWith(getProcessKeyring(), ciphertext);
}

export { decryptWith, encryptWith, keyIdOf } from './cipher';
export { ConfigError, SecretDecryptError } from './errors';
export type { KeyEntry } from './key-material';
export { getProcessKeyring, KEY_FILE_NAME, loadKeyring, setProcessKeyring, type Keyring } from './keyring';
export { reencryptSecret } from './reencrypt';
