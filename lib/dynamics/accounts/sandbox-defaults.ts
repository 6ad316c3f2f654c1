/**
 * The built-in Dynamics 365 sandbox (a contract other parts and the README rely on): its service
 * URL lives under the app's own origin. Browser-safe: the sandbox's secrets, public as they are,
 * live in sandbox-secrets.ts, which only the server imports, so no secret-shaped string ever
 * ships in a browser bundle.
 */
const SANDBOX_PUBLIC = { clientId: 'sandbox-client', username: 'sales@sandbox.local' } as const;

export const sandboxEnabled = (env: NodeJS.ProcessEnv = process.env) => env.SANDBOX !== 'off';

export function sandboxServiceUrl(appOrigin: string): string {
  return `${appOrigin}/sandbox`;
}

/**
 * The identity endpoint of the sandbox. In the app each user has an own sandbox organization,
 * selected by the tenant (the server passes the user's, from sandbox-tenant.ts); `organizations`
 * is what the browser shows, and the server replaces it with the user's tenant.
 */
export function sandboxIdentityEndpoint(appOrigin: string, tenant = 'organizations'): string {
  return `${appOrigin}/sandbox/login/${tenant}`;
}

/** The sandbox's non-secret connection values by field name; a method takes the ones it has. */
export function sandboxConnectionValues(appOrigin: string, tenant?: string): Record<string, string> {
  return { serviceUrl: sandboxServiceUrl(appOrigin), identityEndpoint: sandboxIdentityEndpoint(appOrigin, tenant), ...SANDBOX_PUBLIC };
}

/** The app's own origin as the server reaches it: the configured public URL, else the request's. */
export function appOrigin(requestOrigin: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    if (env.NEXTAUTH_URL) return new URL(env.NEXTAUTH_URL).origin;
  } catch {
    // fall through to the request's origin
  }
  return requestOrigin;
}
