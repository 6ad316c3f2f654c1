// Serves an existing build: migrate the database (stopping on a configuration error), then Next's
// production request handler on our own node:http server (a custom server rather than `next start`,
// whose server lets us set neither the request timeouts nor what happens before Next sees a request).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { root } from './lib/ensure.mjs';

const port = process.env.PORT || '3000';
// The same rule as resolveDataDir in lib/config/data-dir.ts (the source of truth; plain node cannot
// import TypeScript): DATA_DIR, else ./data. Resolved here once and handed to the app absolute.
const dataDir = resolve(root, process.env.DATA_DIR?.trim() || 'data');
mkdirSync(dataDir, { recursive: true });

// next-auth signs sessions with this; generated once per installation like the encryption key.
function authSecret() {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = join(dataDir, 'auth.secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

const env = {
  ...process.env,
  DATA_DIR: dataDir,
  PORT: port,
  NEXTAUTH_SECRET: authSecret(),
  NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${port}`,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
};

const migrate = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['lib/db/migrate-cli.ts'], { cwd: root, env, stdio: 'inherit' });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

Object.assign(process.env, env);
const { default: next } = await import('next');
const app = next({ dev: false, dir: root, port: Number(port) });
const handle = app.getRequestHandler();
await app.prepare();

// The API trigger's fast path (lib/flows/service/invoke-fast-path.ts): calls with a flow key are
// answered before Next's pipeline, the same way the route handler answers them. TypeScript, loaded
// through tsx like the migrate step above; FAST_INVOKE=off sends everything to Next.
const fastInvoke =
  process.env.FAST_INVOKE === 'off'
    ? undefined
    : await (await import('tsx/esm/api')).tsImport('../lib/flows/service/invoke-fast-path.ts', import.meta.url);

// Methods the Fetch standard forbids: Next turns each request into a `Request`, which throws for
// these, so Next would answer 500 with a stack trace in the log. They are refused here instead.
const FORBIDDEN_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT']);

const server = createServer(
  {
    // How long a client may take to send the request line and headers, and then the whole request
    // with its body (at most 1 MiB, lib/server/read-json-body.ts). A client that trickles bytes
    // (slowloris) is answered 408 and dropped instead of holding a connection open for Node's
    // default 300 s. The response may take longer: these limits end when the request is received.
    headersTimeout: 20_000,
    requestTimeout: 30_000,
    // How often Node checks the two limits above (its default, 30 s, would let a request overstay
    // its limit by up to that much).
    connectionsCheckingInterval: 2_000,
  },
  (req, res) => {
    if (FORBIDDEN_METHODS.has(req.method ?? '')) {
      res.writeHead(405, {
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        Allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
        Connection: 'close',
      });
      res.end(JSON.stringify({ error: { code: 'method_not_allowed', message: `The ${req.method} method is not supported.` } }));
      return;
    }
    // Without a proxy we were told to trust (TRUST_PROXY=on), a client's own X-Forwarded-For is
    // dropped, so Next records the socket's address there and the sign-in throttle
    // (lib/sign-in/client-address.ts) counts the real client, not one it names itself.
    if (process.env.TRUST_PROXY !== 'on') delete req.headers['x-forwarded-for'];
    const flowId = fastInvoke?.fastInvokeTarget(req);
    if (flowId) {
      fastInvoke.answerFastInvoke(req, res, flowId).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }));
      });
      return;
    }
    handle(req, res);
  },
);
// An idle keep-alive connection is closed after 5 s (Node's default, kept deliberately; a proxy in
// front should time idle connections out sooner than this).
server.keepAliveTimeout = 5_000;
// CONNECT (a proxy tunnel) never reaches the request handler; without a listener Node drops the socket.
server.on('connect', (_req, socket) => socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'));
server.listen(Number(port), () => process.stdout.write(`\u25b8 Ready on http://localhost:${port}\n`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
