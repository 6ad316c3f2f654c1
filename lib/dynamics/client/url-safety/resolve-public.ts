/**
 * DNS side of the SSRF guard: every address a host resolves to must be public,
 * unless the host is allow-listed. Used before saving an account (`assertResolvesPublic`) and at
 * connect time by the transport (`createGuardedLookup`), so DNS rebinding (public first, private
 * later) is refused on the connection that would carry the token.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { DataverseError } from '../errors/dataverse-error';
import type { Resolver } from '../seams';
import { isAllowListed, allowListedHostname } from './allowed-hosts';
import { classifyAddress, isIpLiteral } from './ip-ranges';

export type { Resolver } from '../seams';

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

export interface ResolveOptions {
  allowedHosts?: readonly string[];
  resolver?: Resolver;
}

function refuse(hostname: string, address: string, cls: string): DataverseError {
  return DataverseError.local('unsafe_url', `The host ${hostname} resolves to a ${cls} address (${address}), which is not allowed.`);
}

/** Throws `unsafe_url` when any resolved address is not public (or the name does not resolve). */
export async function assertResolvesPublic(target: string | URL, opts: ResolveOptions = {}): Promise<void> {
  const url = typeof target === 'string' ? new URL(target) : target;
  if (isAllowListed(url, opts.allowedHosts)) return;
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (isIpLiteral(hostname)) {
    const cls = classifyAddress(hostname);
    if (cls !== 'public') throw refuse(hostname, hostname, cls);
    return;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await (opts.resolver ?? systemResolver)(hostname);
  } catch (cause) {
    throw DataverseError.local('unsafe_url', `The host ${hostname} could not be resolved.`, cause);
  }
  if (!addresses.length) throw DataverseError.local('unsafe_url', `The host ${hostname} has no addresses.`);
  for (const a of addresses) {
    const cls = classifyAddress(a.address);
    if (cls !== 'public') throw refuse(hostname, a.address, cls);
  }
}

/**
 * A `lookup` for http(s) agents that refuses non-public answers at connect time. Hosts on the
 * allow-list (compared by hostname) resolve normally.
 */
export function createGuardedLookup(opts: ResolveOptions = {}): LookupFunction {
  const allowed = new Set((opts.allowedHosts ?? []).map(allowListedHostname));
  const resolver = opts.resolver ?? systemResolver;
  return (hostname, options, callback) => {
    const cb = callback as unknown as (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
    const isAllowed = allowed.has(hostname.toLowerCase());
    resolver(hostname).then(
      (addresses) => {
        if (!isAllowed) {
          const bad = addresses.find((a) => classifyAddress(a.address) !== 'public');
          if (bad || !addresses.length) {
            const err = refuse(
              hostname,
              bad?.address ?? 'none',
              bad ? classifyAddress(bad.address) : 'missing',
            ) as unknown as NodeJS.ErrnoException;
            cb(err, '', 0);
            return;
          }
        }
        const wanted = options.family === 6 ? 6 : options.family === 4 ? 4 : 0;
        const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
        if (options.all) cb(null, usable);
        else {
          const first = usable[0];
          if (!first) cb(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
          else cb(null, first.address, first.family);
        }
      },
      (err: NodeJS.ErrnoException) => cb(err, '', 0),
    );
  };
}
