import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptWith, encryptWith, keyIdOf } from './cipher';
import { SecretDecryptError } from './errors';
import { entryFromBytes } from './key-material';
import type { Keyring } from './keyring';

function keyring(current = randomBytes(32), previous: Buffer[] = []): Keyring {
  return { current: entryFromBytes(current), previous: previous.map(entryFromBytes), source: 'env' };
}

describe('AES-256-GCM secrets', () => {
  const ring = keyring();

  it('round-trips text, including empty and non-ASCII values', () => {
    for (const value of ['', 'client-secret', 'pässwörd 🔐 with "quotes"', 'x'.repeat(10_000)]) {
      expect(decryptWith(ring, encryptWith(ring, value))).toBe(value);
    }
  });

  it('writes the versioned format v1.<keyId>.<iv>.<tag>.<ciphertext>', () => {
    const ct = encryptWith(ring, 'value');
    expect(ct).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(keyIdOf(ct)).toBe(ring.current.id);
    expect(ct).not.toContain('value');
  });

  it('gives a different ciphertext each time for the same value', () => {
    const values = new Set(Array.from({ length: 50 }, () => encryptWith(ring, 'same value')));
    expect(values.size).toBe(50);
  });

  it('fails to decrypt when any single character of the stored value is changed', () => {
    const ct = encryptWith(ring, 'a secret worth protecting');
    for (let i = 0; i < ct.length; i++) {
      for (const flip of [1, 2, 32]) {
        const changed = String.fromCharCode(ct.charCodeAt(i) ^ flip);
        const tampered = ct.slice(0, i) + changed + ct.slice(i + 1);
        expect(() => decryptWith(ring, tampered), `char ${i} ^ ${flip}`).toThrow(SecretDecryptError);
      }
    }
  });

  it('fails to decrypt when any single bit of the iv, tag or ciphertext bytes is flipped', () => {
    const ct = encryptWith(ring, 'another secret');
    const parts = ct.split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index] ?? '', 'base64url');
      for (let byte = 0; byte < bytes.length; byte++) {
        for (let bit = 0; bit < 8; bit++) {
          const copy = Buffer.from(bytes);
          copy[byte] = (copy[byte] ?? 0) ^ (1 << bit);
          const tampered = [...parts.slice(0, index), copy.toString('base64url'), ...parts.slice(index + 1)].join('.');
          expect(() => decryptWith(ring, tampered)).toThrow(SecretDecryptError);
        }
      }
    }
  });

  it('rejects truncated, padded and garbage values', () => {
    const ct = encryptWith(ring, 'value');
    for (const bad of ['', 'v1', ct.slice(0, -1), `${ct}=`, `${ct}.`, `${ct}x`, 'v1.00000000.a.b.c', 'plain text']) {
      expect(() => decryptWith(ring, bad), bad).toThrow(SecretDecryptError);
    }
  });

  it('refuses a value encrypted under a key it does not have, naming the key id', () => {
    const other = keyring();
    const ct = encryptWith(other, 'value');
    expect(() => decryptWith(ring, ct)).toThrow(new RegExp(other.current.id));
  });

  it('still decrypts values from a previous key after rotation, and encrypts with the new one', () => {
    const oldKey = randomBytes(32);
    const before = keyring(oldKey);
    const stored = encryptWith(before, 'kept across rotation');
    const after = keyring(randomBytes(32), [oldKey]);
    expect(decryptWith(after, stored)).toBe('kept across rotation');
    expect(keyIdOf(encryptWith(after, 'new'))).toBe(after.current.id);
    expect(() => decryptWith(keyring(randomBytes(32)), stored)).toThrow(SecretDecryptError);
  });
});
