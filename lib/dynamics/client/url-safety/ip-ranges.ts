/**
 * Classifies IP addresses for the SSRF guard (requests never reach internal addresses): loopback, private (RFC 1918,
 * unique-local IPv6), link-local, CGNAT, cloud metadata, IPv4-mapped/compatible/NAT64/6to4 IPv6
 * (classified by the IPv4 address they embed, and refused as such), multicast and reserved ranges.
 * Pure: no DNS here (see `resolve-public.ts`).
 */
import { isIP } from 'node:net';

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'metadata'
  | 'unique-local'
  | 'ipv4-mapped'
  | 'multicast'
  | 'reserved'
  | 'invalid';

interface Range {
  base: bigint;
  bits: number;
  width: 32 | 128;
  cls: AddressClass;
}

function v4ToBigInt(ip: string): bigint | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

/** Expands any valid IPv6 text (with `::`, embedded IPv4, zone id) to a 128-bit integer. */
function v6ToBigInt(input: string): bigint | null {
  let ip = input.replace(/^\[|\]$/g, '');
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  if (isIP(ip) !== 6) return null;
  let tail: number[] = [];
  const lastColon = ip.lastIndexOf(':');
  const maybeV4 = ip.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    const v4 = v4ToBigInt(maybeV4);
    if (v4 === null) return null;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    ip = ip.slice(0, lastColon + 1) + '0';
  }
  const [head, rest] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const hs = head ? head.split(':') : [];
  const rs = rest !== undefined && rest !== '' ? rest.split(':') : [];
  let groups: number[];
  const parse = (g: string): number => parseInt(g, 16);
  if (rest === undefined) {
    groups = hs.map(parse);
  } else {
    const fill = 8 - hs.length - rs.length;
    groups = [...hs.map(parse), ...new Array<number>(Math.max(fill, 0)).fill(0), ...rs.map(parse)];
  }
  if (tail.length) groups = [...groups.slice(0, 6), ...tail];
  if (groups.length !== 8) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function cidr(text: string, cls: AddressClass): Range {
  const [addr = '', bitsText = ''] = text.split('/');
  const bits = Number(bitsText);
  const v4 = v4ToBigInt(addr);
  if (v4 !== null) return { base: v4, bits, width: 32, cls };
  const v6 = v6ToBigInt(addr);
  if (v6 === null) throw new Error(`bad CIDR ${text}`);
  return { base: v6, bits, width: 128, cls };
}

/** Most specific first: the first matching range decides. */
const RANGES: Range[] = [
  // Cloud metadata endpoints (AWS/GCP/Azure IMDS, Azure wireserver, Alibaba, AWS IPv6 IMDS).
  cidr('169.254.169.254/32', 'metadata'),
  cidr('168.63.129.16/32', 'metadata'),
  cidr('100.100.100.200/32', 'metadata'),
  cidr('fd00:ec2::254/128', 'metadata'),
  cidr('0.0.0.0/8', 'unspecified'),
  cidr('10.0.0.0/8', 'private'),
  cidr('100.64.0.0/10', 'cgnat'),
  cidr('127.0.0.0/8', 'loopback'),
  cidr('169.254.0.0/16', 'link-local'),
  cidr('172.16.0.0/12', 'private'),
  cidr('192.0.0.0/24', 'reserved'),
  cidr('192.0.2.0/24', 'reserved'),
  cidr('192.88.99.0/24', 'reserved'),
  cidr('192.168.0.0/16', 'private'),
  cidr('198.18.0.0/15', 'reserved'),
  cidr('198.51.100.0/24', 'reserved'),
  cidr('203.0.113.0/24', 'reserved'),
  cidr('224.0.0.0/4', 'multicast'),
  cidr('240.0.0.0/4', 'reserved'),
  cidr('::/128', 'unspecified'),
  cidr('::1/128', 'loopback'),
  cidr('::ffff:0:0/96', 'ipv4-mapped'),
  cidr('::/96', 'ipv4-mapped'), // deprecated IPv4-compatible
  cidr('64:ff9b::/96', 'ipv4-mapped'), // NAT64
  cidr('64:ff9b:1::/48', 'reserved'),
  cidr('100::/64', 'reserved'),
  cidr('2001:db8::/32', 'reserved'),
  cidr('2002::/16', 'ipv4-mapped'), // 6to4 embeds an IPv4 address
  cidr('fc00::/7', 'unique-local'),
  cidr('fe80::/10', 'link-local'),
  cidr('fec0::/10', 'link-local'), // deprecated site-local
  cidr('ff00::/8', 'multicast'),
];

function inRange(n: bigint, width: 32 | 128, r: Range): boolean {
  if (r.width !== width) return false;
  const shift = BigInt(width - r.bits);
  return n >> shift === r.base >> shift;
}

/** Classifies an IP literal (IPv4 dotted quad or IPv6, brackets allowed). */
export function classifyAddress(ip: string): AddressClass {
  const v4 = v4ToBigInt(ip);
  const n = v4 ?? v6ToBigInt(ip);
  if (n === null) return 'invalid';
  const width = v4 !== null ? 32 : 128;
  for (const r of RANGES) if (inRange(n, width, r)) return r.cls;
  return 'public';
}

/** True when the literal is an IPv4 or IPv6 address (brackets allowed). */
export function isIpLiteral(host: string): boolean {
  return isIP(host.replace(/^\[|\]$/g, '')) !== 0;
}
