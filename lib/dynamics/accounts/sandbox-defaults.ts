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

export function sandboxIdentityEndpoint(appOrigin: string): string {
  return `${appOrigin}/sandbox/login/organizations`;
}

/** The sandbox's non-secret connection values by field name; a method takes the ones it has. */
export function sandboxConnectionValues(appOrigin: string): Record<string, string> {
  return { serviceUrl: sandboxServiceUrl(appOrigin), identityEndpoint: sandboxIdentityEndpoint(appOrigin), ...SANDBOX_PUBLIC };
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
