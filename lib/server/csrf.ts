/**
 * Cross-site request forgery check for cookie-authenticated mutations. Route handlers get no CSRF
 * protection from Next.js, so every mutation that relies on the session cookie must come from one
 * of our own origins. Browsers always send `Origin` on cross-origin and on same-origin non-GET
 * fetches; `Origin: null` (sandboxed frames, file: pages) is never trusted.
 */
export function isSameOriginRequest(input: {
  method: string;
  origin: string | null;
  secFetchSite: string | null;
  allowedOrigins: readonly string[];
}): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(input.method.toUpperCase())) return true;
  if (input.origin === null) return input.secFetchSite === 'same-origin';
  if (input.origin === 'null') return false;
  return input.allowedOrigins.includes(input.origin);
}

/**
 * Our own origins: the configured public URL, extras, and the host the request was addressed to.
 * `X-Forwarded-Host`/`-Proto` count only behind a proxy we were told to trust (TRUST_PROXY=on):
 * otherwise a client could name its own origin as ours.
 */
export function allowedOrigins(headers: Headers, fallbackProtocol: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const origins = new Set<string>();
  const trustProxy = env.TRUST_PROXY === 'on';
  const host = (trustProxy ? headers.get('x-forwarded-host') : null) ?? headers.get('host');
  const proto = (trustProxy ? headers.get('x-forwarded-proto') : null) ?? fallbackProtocol.replace(/:$/, '');
  if (host) origins.add(`${proto}://${host}`);
  for (const value of [env.NEXTAUTH_URL, ...(env.APP_ALLOWED_ORIGINS ?? '').split(',')]) {
    if (!value) continue;
    try {
      origins.add(new URL(value.trim()).origin);
    } catch {
      // A malformed entry in configuration allows nothing.
    }
  }
  return [...origins];
}
