/**
 * Standalone sandbox: `npm run sandbox -- --port 4010 [--host 127.0.0.1] [--data <dir>|--memory]
 * [--requests N --concurrent N --window S] [--token-lifetime S] [--redirect-uri URI …]` serves the identity endpoint,
 * Web API and hooks at the root of the port, and the second organization (its own schema, data,
 * tenant and sign-in: `sandbox-org2-client`/`sandbox-org2-secret`, `sales@org2.sandbox.local`/`sandbox`)
 * under `/org2`. In-memory by default; `--data` persists like the app (the second organization in
 * `<dir>/org2`). The limit and token flags apply to both organizations.
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
  // Only the flags given override the defaults (6,000 requests / 52 concurrent per 300 s, 1 h tokens);
  // passed as options, so both organizations start with them.
  const given = <T extends object>(o: T): Partial<T> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const sandbox = createSandbox({
    basePath: '',
    storage: dataDir ? { dir: dataDir } : 'memory',
    redirectUris,
    trustForwardedHeaders: process.env.TRUST_PROXY === 'on',
    config: {
      ...given({ tokenLifetimeSeconds: num('token-lifetime') }),
      limits: given({ requests: num('requests'), concurrent: num('concurrent'), windowSeconds: num('window') }),
    },
  });
  await sandbox.ready;
  const srv = await serveNode(sandbox, { port, host });
  console.log(
    `Dynamics 365 sandbox listening on ${srv.origin} (Web API ${srv.origin}/api/data/v9.2/, authority ${srv.origin}/login/organizations); second organization: ${srv.origin}/org2 (authority ${srv.origin}/org2/login/organizations)`,
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
