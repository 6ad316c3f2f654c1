import { decryptSecret, encryptSecret } from '@/lib/secrets/crypto';

/**
 * Short-lived values that must round-trip through the browser without the browser being able to
 * read or forge them (the OAuth `state` cookie, generated Basic OAuth tokens). AES-256-GCM gives
 * confidentiality and integrity; the purpose, owner and expiry inside stop replay elsewhere.
 */
export function seal(purpose: string, ownerId: string, ttlSeconds: number, data: unknown, now = Date.now()): string {
  return encryptSecret(JSON.stringify({ p: purpose, o: ownerId, e: now + ttlSeconds * 1000, d: data }));
}

export type UnsealResult<T> = { ok: true; data: T } | { ok: false; reason: 'invalid' | 'expired' | 'wrong_owner' };

export function unseal<T>(purpose: string, ownerId: string, sealed: string, now = Date.now()): UnsealResult<T> {
  let parsed: { p?: unknown; o?: unknown; e?: unknown; d?: unknown };
  try {
    parsed = JSON.parse(decryptSecret(sealed)) as typeof parsed;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (parsed.p !== purpose) return { ok: false, reason: 'invalid' };
  if (parsed.o !== ownerId) return { ok: false, reason: 'wrong_owner' };
  if (typeof parsed.e !== 'number' || parsed.e < now) return { ok: false, reason: 'expired' };
  return { ok: true, data: parsed.d as T };
}
