/**
 * Where to go after signing in: only a path on this site. Anything else — another origin, a
 * protocol-relative `//host`, a backslash trick, or a path that normalises to one — goes to the
 * catalog, so the sign-in page can never be an open redirect.
 */
export function safeCallbackPath(raw: string | undefined, fallback = '/catalog'): string {
  if (!raw) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw, 'http://local.invalid');
  } catch {
    return fallback;
  }
  if (parsed.origin !== 'http://local.invalid') return fallback;
  const path = `${parsed.pathname}${parsed.search}`;
  return path.startsWith('/') && path[1] !== '/' && path[1] !== '\\' ? path : fallback;
}
