/**
 * The configuration allow-list (`DYNAMICS_ALLOWED_HOSTS`, plus the app's own origin): hosts that may
 * be used although they are not Dynamics hosts (the sandbox, a local emulator). Entries are `host`
 * or `host:port`, compared case-insensitively; IPv6 entries in brackets (`[::1]:4010`).
 */

/** Parses `DYNAMICS_ALLOWED_HOSTS` (comma or whitespace separated; URLs are reduced to their host). */
export function parseAllowedHosts(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[\s,]+/)
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean)
    .map((v) => {
      if (!/^[a-z][a-z0-9+.-]*:\/\//.test(v)) return v;
      try {
        return new URL(v).host;
      } catch {
        return v;
      }
    });
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * True when the URL matches an entry. Entries are `hostname` (any port), `hostname:port` (that port
 * only; default ports count, so `example.com:443` matches `https://example.com`), optionally
 * followed by a path prefix (`localhost:3000/sandbox`: only URLs under `/sandbox`).
 */
export function isAllowListed(url: URL, allowedHosts: readonly string[] | undefined): boolean {
  if (!allowedHosts?.length) return false;
  const hostname = url.hostname.toLowerCase();
  const port = url.port || DEFAULT_PORTS[url.protocol] || '';
  const path = url.pathname.replace(/\/+$/, '');
  return allowedHosts.some((entry) => {
    const e = entry.toLowerCase();
    const slash = e.indexOf('/');
    const hostPart = slash === -1 ? e : e.slice(0, slash);
    const prefix = slash === -1 ? '' : e.slice(slash).replace(/\/+$/, '');
    if (prefix && path !== prefix && !path.startsWith(`${prefix}/`)) return false;
    const portMatch = /^(.*):(\d+)$/.exec(hostPart);
    return portMatch ? portMatch[1] === hostname && portMatch[2] === port : hostPart === hostname;
  });
}

/** The hostname an allow-list entry names (without port or path), for DNS decisions. */
export function allowListedHostname(entry: string): string {
  const hostPart = entry.toLowerCase().split('/')[0] ?? '';
  return hostPart.replace(/:\d+$/, '');
}

/**
 * The allow-list from configuration: `DYNAMICS_ALLOWED_HOSTS` plus the app's own origin (where the
 * embedded sandbox is mounted at `/sandbox`).
 *
 * @example
 * allowedHostsFromConfig({ env: process.env.DYNAMICS_ALLOWED_HOSTS, appOrigin: 'http://localhost:3000' })
 * // ['localhost:3000', …]
 */
export function allowedHostsFromConfig(config: { env?: string; appOrigin?: string }): string[] {
  const hosts = parseAllowedHosts(config.env);
  if (config.appOrigin) hosts.push(...parseAllowedHosts(config.appOrigin));
  return [...new Set(hosts)];
}
