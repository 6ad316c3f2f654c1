import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { ConfigError } from './errors';

/** One AES-256 key and its id. The key is a KeyObject so logging a keyring never prints it. */
export interface KeyEntry {
  /** First 8 hex characters of sha256(key): names the key in ciphertexts without revealing it. */
  id: string;
  key: KeyObject;
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * Parses a 32-byte key written as 64 hex characters or as base64/base64url (44 or 43 characters).
 * `source` names where it came from in the error message; the value itself is never echoed.
 */
export function parseKey(text: string, source: string): KeyEntry {
  const value = text.trim();
  let bytes: Buffer | undefined;
  if (HEX_KEY.test(value)) bytes = Buffer.from(value, 'hex');
  else if (BASE64_KEY.test(value)) {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length === 32) bytes = decoded;
  }
  if (!bytes) {
    throw new ConfigError(
      `${source} is not a valid encryption key: it must be 32 random bytes written as base64 (44 characters) ` +
        `or as hex (64 characters), but the value given is ${value.length} characters long. ` +
        `Generate one with: openssl rand -base64 32`,
    );
  }
  return entryFromBytes(bytes);
}

/** Wraps raw key bytes (exactly 32) as a KeyEntry. */
export function entryFromBytes(bytes: Buffer): KeyEntry {
  if (bytes.length !== 32) throw new RangeError('an AES-256 key is 32 bytes');
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), key: createSecretKey(bytes) };
}
