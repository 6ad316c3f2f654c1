/**
 * The built-in Dynamics 365 sandbox (DESIGN.md "Contracts others rely on"): its service URL lives
 * under the app's own origin and its sample credentials are public by design.
 */
export const SANDBOX_CREDENTIALS = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  username: 'sales@sandbox.local',
  password: 'sandbox',
} as const;

export const sandboxEnabled = (env: NodeJS.ProcessEnv = process.env) => env.SANDBOX !== 'off';

export function sandboxServiceUrl(appOrigin: string): string {
  return `${appOrigin}/sandbox`;
}

export function sandboxIdentityEndpoint(appOrigin: string): string {
  return `${appOrigin}/sandbox/login/organizations`;
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
