/**
 * node:http ⇄ Web Request/Response adapter for the standalone sandbox and the tests. A "drop"
 * fault destroys the socket without writing a response.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawRequest, RawResult, Sandbox } from './handler';
import { BodyTooLargeError, SMALL_BODY_BYTES } from './util/limits';

export interface NodeServer {
  server: Server;
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

/** Reads the body, stopping as soon as it passes `limit` bytes (BodyTooLargeError): nothing larger is ever buffered. */
function readBody(req: IncomingMessage, limit = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** IncomingMessage → the dispatcher's RawRequest, without building a Web Request. */
function rawRequest(req: IncomingMessage, limit: number): RawRequest {
  const h = req.headers;
  // Read from the start (a client that gives up after sending its body has still sent it, as to
  // Dataverse), but only up to the limit of the route the request is for.
  let body: Promise<string> | undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    body = readBody(req, limit).then((b) => b.toString('utf8'));
    body.catch(() => undefined);
  }
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
    text: () => body ?? Promise.resolve(''),
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
  // An oversized body was not read to its end: close rather than parse its rest as the next request.
  if (r.status === 413) headers.connection = 'close';
  out.writeHead(r.status, headers);
  out.end(payload ?? undefined);
}

/** The Web API takes bodies up to the configured size; identity forms and hook JSON are small. */
function bodyLimit(sandbox: Sandbox, url: string): number {
  const path = url.split('?')[0] ?? '';
  return path.startsWith(`${sandbox.basePath}/api/data/`) ? sandbox.core.config.maxBodyBytes : SMALL_BODY_BYTES;
}

export function nodeListener(sandbox: Sandbox) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    // The body is read by the dispatcher, under the limit of the route it reaches.
    sandbox
      .dispatch(rawRequest(req, bodyLimit(sandbox, req.url ?? '/')))
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
