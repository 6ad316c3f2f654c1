import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_MAX = (1n << 80n) - 1n;

let lastTime = -1;
let lastRandom = 0n;

/**
 * A new ULID: 48-bit millisecond time + 80 random bits in Crockford base32, 26 characters.
 * Text ids work the same on SQLite and PostgreSQL, and ULIDs sort by creation time. Within one
 * millisecond (or if the clock steps back) the random part counts up, so ids made by this process
 * sort in the order they were made — lists ordered by (created_at, id) keep insertion order.
 * @example newId() // '01JZ8Q3V6X0C5T9M2B7R4K1HFD'
 */
export function newId(now: number = Date.now()): string {
  if (now <= lastTime && lastRandom < RANDOM_MAX) {
    lastRandom += 1n;
  } else {
    lastTime = Math.max(now, lastTime);
    lastRandom = BigInt(`0x${randomBytes(10).toString('hex')}`) >> 1n; // headroom for increments
  }
  return encode(BigInt(lastTime), 10) + encode(lastRandom, 16);
}

function encode(value: bigint, length: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < length; i++) {
    out = CROCKFORD.charAt(Number(v & 31n)) + out;
    v >>= 5n;
  }
  return out;
}
