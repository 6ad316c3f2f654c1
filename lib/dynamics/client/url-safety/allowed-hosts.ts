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

/** True when the URL's `host` (with port) or `hostname` (any port) is on the list. */
export function isAllowListed(url: URL, allowedHosts: readonly string[] | undefined): boolean {
  if (!allowedHosts?.length) return false;
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  return allowedHosts.some((entry) => {
    const e = entry.toLowerCase();
    return e === host || e === hostname;
  });
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
