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

/**
 * The sandbox's connection values by field name; a method takes the ones it has. `secrets: false`
 * leaves out the secret ones, for a form to show what is being used.
 */
export function sandboxConnectionValues(appOrigin: string, opts: { secrets?: boolean } = {}): Record<string, string> {
  const { clientSecret, password, ...plain } = SANDBOX_CREDENTIALS;
  return {
    serviceUrl: sandboxServiceUrl(appOrigin),
    identityEndpoint: sandboxIdentityEndpoint(appOrigin),
    ...plain,
    ...(opts.secrets === false ? {} : { clientSecret, password }),
  };
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
