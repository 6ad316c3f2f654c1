import { decryptWith, encryptWith, keyIdOf } from './cipher';
import { getProcessKeyring, type Keyring } from './keyring';

/**
 * Returns the value encrypted under the keyring's current key; unchanged when it already is.
 * Throws SecretDecryptError when no key of the keyring can read it.
 */
export function reencryptSecret(ciphertext: string, keyring: Keyring = getProcessKeyring()): string {
  if (keyIdOf(ciphertext) === keyring.current.id) return ciphertext;
  return encryptWith(keyring, decryptWith(keyring, ciphertext));
}
