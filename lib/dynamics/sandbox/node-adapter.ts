/**
 * node:http ⇄ Web Request/Response adapter for the standalone sandbox and the tests. A "drop"
 * fault destroys the socket without writing a response.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawRequest, RawResult, Sandbox } from './handler';

export interface NodeServer {
  server: Server;
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** IncomingMessage → the dispatcher's RawRequest, without building a Web Request. */
function rawRequest(req: IncomingMessage, body: Buffer | null): RawRequest {
  const h = req.headers;
  return {
    method: req.method ?? 'GET',
    url: `http://${h.host ?? 'localhost'}${req.url ?? '/'}`,
    headers: {
      get: (name) => {
        const v = h[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
      forEach: (cb) => {
        for (const [k, v] of Object.entries(h)) if (v !== undefined) cb(Array.isArray(v) ? v.join(', ') : v, k);
      },
    },
    text: () => Promise.resolve(body ? body.toString('utf8') : ''),
  };
}

function writeResult(r: RawResult, out: ServerResponse, socketDestroy: () => void): void {
  if (r.drop) {
    socketDestroy();
    return;
  }
  const payload = r.body === null ? null : typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
  const headers: Record<string, string> = { ...r.headers };
  if (r.status !== 204 && r.status !== 304) headers['content-length'] = String(payload ? payload.length : 0);
  out.writeHead(r.status, headers);
  out.end(payload ?? undefined);
}

export function nodeListener(sandbox: Sandbox) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const bodyP = hasBody ? readBody(req) : Promise.resolve(null);
    bodyP
      .then((body) => sandbox.dispatch(rawRequest(req, body)))
      .then((result) => writeResult(result, res, () => req.socket.destroy()))
      .catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: '0x80040216', message: `An unexpected error occurred: ${String(e)}` } }));
        } else res.destroy();
      });
  };
}

export async function serveNode(sandbox: Sandbox, opts: { port?: number; host?: string } = {}): Promise<NodeServer> {
  const server = createServer(nodeListener(sandbox));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    origin: `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
