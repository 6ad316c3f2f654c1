// Shared by the sandbox benchmarks: command-line numbers, a free port, and the standalone sandbox
// started as a child process with service-protection limits raised so the load is not throttled.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, URLSearchParams } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `--name <number>` from the command line, else the default. */
export function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts `standalone.ts` on `port` with `extraArgs`, resolving once it says it is listening. */
export async function startStandaloneSandbox(port, { extraArgs = [], env = process.env } = {}) {
  // The benchmark talks to loopback; a proxy from the environment would only distort it.
  delete process.env.http_proxy;
  delete process.env.HTTP_PROXY;
  const child = spawn(
    join(root, 'node_modules/.bin/tsx'),
    ['lib/dynamics/sandbox/standalone.ts', '--port', String(port), '--requests', '100000000', '--concurrent', '100000', ...extraArgs],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sandbox did not start in 30 s')), 30000);
    child.stdout.on('data', (d) => {
      if (String(d).includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  return child;
}

/** An access token for the sandbox's built-in user (password grant with its public sample credentials). */
export async function sandboxAccessToken(base) {
  const res = await fetch(`${base}/login/organizations/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
      username: 'sales@sandbox.local',
      password: 'sandbox',
      scope: `${base}/.default`,
    }),
  });
  const body = await res.json();
  if (!body.access_token) throw new Error(`token request failed: ${res.status}`);
  return body.access_token;
}
