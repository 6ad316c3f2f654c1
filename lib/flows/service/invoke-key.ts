import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The per-flow key of an API-triggered flow. Only its sha256 is stored (like personal API tokens);
 * the key is shown once, when it is made. Compared in constant time: the n8n Dynamics trigger's
 * plain `===` leaked how many leading characters matched.
 */
export const INVOKE_KEY_PREFIX = 'dfk_';

/** @example const { key, hash, prefix } = newInvokeKey(); // key 'dfk_…' (47 chars), shown once */
export function newInvokeKey(): { key: string; hash: string; prefix: string } {
  const key = `${INVOKE_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashInvokeKey(key), prefix: key.slice(0, INVOKE_KEY_PREFIX.length + 6) };
}

export function hashInvokeKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** True when `presented` is the key whose hash is stored; constant time in the key's content. */
export function invokeKeyMatches(presented: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashInvokeKey(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
