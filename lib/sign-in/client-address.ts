import { isIP } from 'node:net';

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Who is asking, for throttling: the address the request came from. Next puts the socket's address
 * in `X-Forwarded-For` when the request brings none. Behind a reverse proxy (TRUST_PROXY=on, as
 * lib/server/csrf.ts reads forwarded headers) the proxy appends the address it saw, so the last
 * entry is the one a client cannot forge. IPv6 clients are grouped by their /64, which one machine
 * usually holds entirely, so hopping within it does not make a fresh client.
 */
export function clientAddress(headers: HeaderBag): string {
  const forwarded = (header(headers, 'x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  // Without a trusted proxy, scripts/serve.mjs drops a client's own header, so it holds only the socket's address.
  const raw = forwarded.at(-1);
  return normalizeAddress(raw ?? '');
}

export function normalizeAddress(raw: string): string {
  let address = raw.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) address = mapped[1];
  const kind = isIP(address);
  if (kind === 4) return address;
  if (kind !== 6) return 'unknown';
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
