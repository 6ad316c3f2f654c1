/**
 * What the runtime persists of a step (resolved inputs, outputs, errors) goes through these first,
 * so no credential reaches a run record (S2). `redactSecrets` blanks values by their key's name;
 * `redactKnown` blanks known secret strings wherever they occur.
 */
export const REDACTED = '••••';

/** Key names (lower-cased, `-` and camelCase read as `_`) whose values are secrets. */
const SECRET_KEYS = new Set([
  'authorization',
  'proxy_authorization',
  'cookie',
  'set_cookie',
  'password',
  'passwd',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'x_api_key',
  'private_key',
]);
/** `github_token`, `db_password`, `webhook_secret`, `stripe_api_key`, `x_auth_token`… */
const SECRET_SUFFIXES = ['_token', '_secret', '_password', '_passwd', '_api_key', '_apikey', '_private_key'];

function normaliseKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[-\s.]+/g, '_');
}

export function isSecretKey(key: string): boolean {
  const k = normaliseKey(key);
  return SECRET_KEYS.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s));
}

function mapDeep(
  value: unknown,
  onEntry: (key: string, v: unknown) => unknown,
  onString: (s: string) => string,
  seen: WeakSet<object>,
): unknown {
  if (typeof value === 'string') return onString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => mapDeep(v, onEntry, onString, seen));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const replaced = onEntry(k, v);
      out[onString(k)] = replaced === v ? mapDeep(v, onEntry, onString, seen) : replaced;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * URLs carry secrets too: `https://user:pw@host/…?api_key=…`. The password and secret-looking
 * query parameters are blanked; anything that is not an absolute http(s) URL is left alone.
 */
function redactUrl(text: string): string {
  if (!/^https?:\/\/\S+$/i.test(text) || (!text.includes('?') && !text.includes('@'))) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  let changed = false;
  if (url.password) {
    url.password = REDACTED;
    changed = true;
  }
  for (const name of new Set(url.searchParams.keys())) {
    if (isSecretKey(name) || name.toLowerCase() === 'sig' || name.toLowerCase() === 'code') {
      url.searchParams.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? url.toString() : text;
}

/**
 * A deep copy with the values under secret-looking keys replaced by "••••" (header objects
 * included: `{ headers: { Authorization: 'Bearer …' } }`), and URL passwords and secret query
 * parameters (`api_key`, `access_token`, `sig`, `code`…) blanked. Empty values stay as they are,
 * so a record still shows that no password was set.
 * @example redactSecrets({ url: 'https://x', headers: { 'X-Api-Key': 'k1' } }) // { url: 'https://x', headers: { 'X-Api-Key': '••••' } }
 */
export function redactSecrets(value: unknown): unknown {
  return mapDeep(
    value,
    (key, v) => (isSecretKey(key) && v !== null && v !== undefined && v !== '' ? REDACTED : v),
    redactUrl,
    new WeakSet(),
  );
}

/** Secrets shorter than this are not searched for: replacing every "a" would make records unreadable and hide nothing. */
const MIN_KNOWN_SECRET_LENGTH = 4;

/**
 * A deep copy with every occurrence of the given secret strings (an account's client secret or
 * password, a token) replaced by "••••" inside any string, keys included.
 * @example redactKnown({ note: 'pw=hunter22!' }, ['hunter22!']) // { note: 'pw=••••' }
 */
export function redactKnown(value: unknown, secrets: readonly string[]): unknown {
  const known = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_KNOWN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  if (!known.length)
    return mapDeep(
      value,
      (_k, v) => v,
      (s) => s,
      new WeakSet(),
    );
  const scrub = (s: string): string =>
    known.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join(REDACTED) : text), s);
  return mapDeep(value, (_k, v) => v, scrub, new WeakSet());
}
