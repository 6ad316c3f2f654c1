/**
 * The installation is misconfigured (bad key, wrong key, unreachable database URL, ...).
 * Its message is written for the operator and is printed on its own, without a stack trace.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A ciphertext could not be decrypted: tampered, truncated, malformed or under an unknown key. */
export class SecretDecryptError extends Error {
  override readonly name = 'SecretDecryptError';
}
