/**
 * Pure checks of service URLs and identity endpoints (the SSRF guard, so tokens and requests go
 * only to Microsoft's hosts or explicitly allowed ones):
 * https and a Dynamics host unless the URL is the sandbox or on the allow-list; no IP literals
 * (`127.1`, `2130706433`, `0x7f000001`, `[::1]` are normalised to IPs by the URL parser and refused);
 * only http(s) schemes; no credentials, query or fragment. DNS checks live in `resolve-public.ts`.
 */
import { isAllowListed } from './allowed-hosts';
import { isIpLiteral } from './ip-ranges';

export type ServiceUrlKind = 'dynamics' | 'sandbox' | 'allow-listed';

export type UrlCheck = { ok: true; url: string; kind: ServiceUrlKind; host: string } | { ok: false; reason: string };

export interface UrlCheckOptions {
  /** Hosts allowed besides Dynamics hosts (`DYNAMICS_ALLOWED_HOSTS` and the app's own origin). */
  allowedHosts?: readonly string[];
}

/** `*.dynamics.com` (incl. `*.crm*.dynamics.com`), `*.microsoftdynamics.de`, `*.dynamics.cn`, `*.appsplatform.us`. */
const DYNAMICS_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:dynamics\.com|microsoftdynamics\.de|dynamics\.cn|appsplatform\.us)$/;

/** Microsoft identity platform hosts per cloud (public, Germany, US Gov, China). */
const LOGIN_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.de',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

const SAFE_PATH = /^(?:\/[A-Za-z0-9._~-]+)*$/;
/**
 * The built-in sandbox's organizations under an allowed host: `/sandbox` and its second
 * organization `/sandbox/org2` (lib/dynamics/sandbox's ORG2_PATH; the client may not import the
 * emulator, so the path is written out here; lib/dynamics/accounts/sandbox-defaults.test.ts checks it
 * against the constant).
 */
const SANDBOX_SERVICE_PATH = /^\/sandbox(?:\/org2)?$/;
const SANDBOX_AUTHORITY_PATH = /^\/sandbox(?:\/org2)?\/login\/[^/]+$/;
const TENANT =
  /^(?:organizations|common|consumers|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)$/i;

function parse(input: string): URL | string {
  const text = input.trim();
  if (!text) return 'is empty';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `uses the ${url.protocol.replace(/:$/, '')} scheme; only https is allowed`;
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.search || url.hash || text.includes('?') || text.includes('#')) return 'must not contain a query or fragment';
  return url;
}

const stripSlash = (path: string): string => path.replace(/\/+$/, '');

/**
 * Validates and normalises a service URL (trimmed, lower-case host, no trailing slash).
 *
 * @example
 * checkServiceUrl('https://Contoso.crm4.dynamics.com/ ') // { ok: true, url: 'https://contoso.crm4.dynamics.com', kind: 'dynamics' }
 * checkServiceUrl('http://localhost:3000/sandbox', { allowedHosts: ['localhost:3000'] }) // kind 'sandbox'
 * checkServiceUrl('http://localhost:3000/sandbox/org2', { allowedHosts: ['localhost:3000'] }) // kind 'sandbox' (the second organization)
 * checkServiceUrl('https://127.1') // { ok: false, … }
 */
export function checkServiceUrl(input: string, opts: UrlCheckOptions = {}): UrlCheck {
  const parsed = parse(input);
  if (typeof parsed === 'string') return { ok: false, reason: `The service URL ${parsed}.` };
  const url = parsed;
  const path = stripSlash(url.pathname);
  if (!SAFE_PATH.test(path)) return { ok: false, reason: 'The service URL has an invalid path.' };
  const normalized = `${url.protocol}//${url.host}${path}`;
  if (isAllowListed(url, opts.allowedHosts)) {
    return { ok: true, url: normalized, kind: SANDBOX_SERVICE_PATH.test(path) ? 'sandbox' : 'allow-listed', host: url.host };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'The service URL must use https.' };
  if (isIpLiteral(url.hostname)) return { ok: false, reason: 'The service URL must name a Dynamics 365 host, not an IP address.' };
  if (!DYNAMICS_HOST.test(url.hostname)) {
    return { ok: false, reason: `The host ${url.hostname} is not a Dynamics 365 host (like https://<org>.crm.dynamics.com).` };
  }
  if (url.port) return { ok: false, reason: 'The service URL must not name a port.' };
  if (path) return { ok: false, reason: 'The service URL must be the organization address only, without a path.' };
  return { ok: true, url: normalized, kind: 'dynamics', host: url.host };
}

/**
 * The identity endpoint (authority) that goes with a checked service URL by default: Microsoft's
 * `organizations` authority of the matching cloud, or the sandbox organization's own.
 */
export function defaultIdentityEndpoint(service: { url: string; kind: ServiceUrlKind }): string {
  if (service.kind === 'sandbox') return `${service.url}/login/organizations`;
  const host = new URL(service.url).hostname;
  if (host.endsWith('.microsoftdynamics.de')) return 'https://login.microsoftonline.de/organizations';
  if (host.endsWith('.dynamics.cn')) return 'https://login.chinacloudapi.cn/organizations';
  if (host.endsWith('.appsplatform.us')) return 'https://login.microsoftonline.us/organizations';
  return 'https://login.microsoftonline.com/organizations';
}

/**
 * Validates an identity endpoint: https on a Microsoft login host with a tenant segment
 * (`organizations`, `common`, a tenant id or domain), or an allow-listed host (the sandbox's
 * `<host>/sandbox/login/<tenant>` or `<host>/sandbox/org2/login/<tenant>`). Returns the normalised authority without trailing slash.
 */
export function checkIdentityEndpoint(input: string, opts: UrlCheckOptions = {}): UrlCheck {
  const parsed = parse(input);
  if (typeof parsed === 'string') return { ok: false, reason: `The identity endpoint ${parsed}.` };
  const url = parsed;
  const path = stripSlash(url.pathname);
  if (!SAFE_PATH.test(path)) return { ok: false, reason: 'The identity endpoint has an invalid path.' };
  const normalized = `${url.protocol}//${url.host}${path}`;
  if (isAllowListed(url, opts.allowedHosts)) {
    return { ok: true, url: normalized, kind: SANDBOX_AUTHORITY_PATH.test(path) ? 'sandbox' : 'allow-listed', host: url.host };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'The identity endpoint must use https.' };
  if (!LOGIN_HOSTS.has(url.hostname) || url.port) {
    return { ok: false, reason: `The identity endpoint host ${url.hostname} is not a Microsoft sign-in host.` };
  }
  const segments = path.split('/').filter(Boolean);
  if (segments.length !== 1 || !TENANT.test(segments[0] ?? '')) {
    return { ok: false, reason: 'The identity endpoint must be the authority, like https://login.microsoftonline.com/organizations.' };
  }
  return { ok: true, url: normalized, kind: 'dynamics', host: url.host };
}
