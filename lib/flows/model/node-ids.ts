/**
 * Stable node and edge ids: never display names, so renaming a step rewrites nothing. Generated ids
 * are 12 characters of `[0-9A-Za-z]` starting with a letter (about 71 bits), URL-safe and usable as
 * a plain JSONata name in `$steps.<id>` (a `-` would read as a minus there). Older ids (v1's
 * `trigger`) stay valid: any `[A-Za-z0-9_-]`, 1–64 characters.
 */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ALPHABET = `0123456789${LETTERS}`;

/** @example newNodeId() // 'kQ3v9XbT0aLm' */
export function newNodeId(length = 12): string {
  // globalThis.crypto is Web Crypto in Node 20 and in browsers: no node built-in import.
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length));
  let id = LETTERS[bytes[0]! % LETTERS.length]!;
  // 62 does not divide 256, so values ≥ 248 are re-drawn to keep every character equally likely.
  for (let i = 1; i < length; i++) {
    let b = bytes[i]!;
    while (b >= 248) b = globalThis.crypto.getRandomValues(new Uint8Array(1))[0]!;
    id += ALPHABET[b % ALPHABET.length];
  }
  return id;
}

export const isNodeId = (value: unknown): value is string => typeof value === 'string' && NODE_ID_PATTERN.test(value);
