import { parseAllowedHosts } from '@/lib/dynamics/client/url-safety/allowed-hosts';
import { sandboxEnabled } from './sandbox-defaults';

/**
 * Hosts the client may reach besides Dynamics hosts: the configured allow-list
 * (`DYNAMICS_ALLOWED_HOSTS`) and, while the sandbox is on, the app's own origin — its exact port
 * and only under `/sandbox`, so no account can point the server at another port or path of its
 * own host.
 */
export function allowedHostsFor(appOrigin: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const hosts = parseAllowedHosts(env.DYNAMICS_ALLOWED_HOSTS);
  if (sandboxEnabled(env)) {
    const origin = new URL(appOrigin);
    hosts.push(`${origin.hostname}:${origin.port || (origin.protocol === 'https:' ? '443' : '80')}/sandbox`);
  }
  return hosts;
}
