import { parseAllowedHosts } from '@/lib/dynamics/client/url-safety/allowed-hosts';
import { sandboxEnabled } from './sandbox-defaults';

/**
 * Hosts the client may reach besides Dynamics hosts: the configured allow-list
 * (`DYNAMICS_ALLOWED_HOSTS`) and, while the sandbox is on, the app's own host (where it lives).
 */
export function allowedHostsFor(appOrigin: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const hosts = parseAllowedHosts(env.DYNAMICS_ALLOWED_HOSTS);
  if (sandboxEnabled(env)) hosts.push(new URL(appOrigin).host);
  return hosts;
}
