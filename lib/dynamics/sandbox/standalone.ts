/**
 * Standalone sandbox: `npm run sandbox -- --port 4010 [--host 127.0.0.1] [--data <dir>|--memory]
 * [--requests N --concurrent N --window S] [--token-lifetime S] [--redirect-uri URI …]` serves the identity endpoint,
 * Web API and hooks at the root of the port. In-memory by default; `--data` persists like the app.
 */
import { createSandbox } from './handler';
import { serveNode } from './node-adapter';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

function num(name: string): number | undefined {
  const v = arg(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) {
    console.error(`--${name} expects a number`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const port = num('port') ?? Number(process.env.PORT ?? 4010);
  const host = arg('host') ?? '127.0.0.1';
  const dataDir = arg('data');
  // Redirect URIs registered for the sandbox client besides <origin>/api/accounts/oauth/callback:
  // every --redirect-uri flag and the comma-separated SANDBOX_REDIRECT_URIS.
  const redirectUris = [
    ...process.argv.flatMap((a, i) =>
      a === '--redirect-uri' ? [process.argv[i + 1] ?? ''] : a.startsWith('--redirect-uri=') ? [a.slice(15)] : [],
    ),
    ...(process.env.SANDBOX_REDIRECT_URIS ?? '').split(','),
  ]
    .map((u) => u.trim())
    .filter(Boolean);
  const sandbox = createSandbox({
    basePath: '',
    storage: dataDir ? { dir: dataDir } : 'memory',
    redirectUris,
    trustForwardedHeaders: process.env.TRUST_PROXY === 'on',
  });
  // Only the flags given override the defaults (6,000 requests / 52 concurrent per 300 s, 1 h tokens).
  const limits = sandbox.core.config.limits;
  limits.requests = num('requests') ?? limits.requests;
  limits.concurrent = num('concurrent') ?? limits.concurrent;
  limits.windowSeconds = num('window') ?? limits.windowSeconds;
  sandbox.core.config.tokenLifetimeSeconds = num('token-lifetime') ?? sandbox.core.config.tokenLifetimeSeconds;
  await sandbox.ready;
  const srv = await serveNode(sandbox, { port, host });
  console.log(
    `Dynamics 365 sandbox listening on ${srv.origin} (Web API ${srv.origin}/api/data/v9.2/, authority ${srv.origin}/login/organizations)`,
  );
  const stop = (): void => {
    sandbox.flush();
    void srv.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
