/**
 * The one place bytes leave for Dataverse or the identity endpoint. Built on node:http(s) rather
 * than dynamics-web-api's internal transport so that:
 * - every connection's DNS answer is checked at connect time (SSRF guard: a name that resolves
 *   to a private address, or rebinds to one after a check, is refused);
 * - redirects are never followed (a 3xx is an error, so a bearer token cannot follow it);
 * - `http_proxy` is never applied (dynamics-web-api honours it without NO_PROXY, which would
 *   send the sandbox's traffic and tokens to a proxy);
 * - each call has a timeout and honours cancellation.
 */
import http from 'node:http';
import https from 'node:https';
import { DataverseError } from '../errors/dataverse-error';
import type { Resolver, Transport, WireRequest, WireResponse } from '../seams';
import { createGuardedLookup } from '../url-safety/resolve-public';

export type { Transport, WireRequest, WireResponse } from '../seams';

export interface HttpTransportOptions {
  allowedHosts?: readonly string[];
  resolver?: Resolver;
  /** Max sockets per host (defaults to the concurrency ceiling, 52). */
  maxSockets?: number;
}

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) h.append(k, x);
    else h.set(k, v);
  }
  return h;
}

/** Node's keep-alive transport with the guarded lookup. */
export function createHttpTransport(opts: HttpTransportOptions = {}): Transport & { close(): void } {
  const lookup = createGuardedLookup({ allowedHosts: opts.allowedHosts, resolver: opts.resolver });
  const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 52, lookup };
  const agents = { 'http:': new http.Agent(agentOpts), 'https:': new https.Agent(agentOpts) };

  function send(req: WireRequest): Promise<WireResponse> {
    const url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return Promise.reject(DataverseError.local('unsafe_url', `Scheme ${url.protocol} is not allowed.`));
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const mod = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    return new Promise<WireResponse>((resolve, reject) => {
      const fail = (err: unknown): void => {
        if (err instanceof DataverseError) reject(err);
        else if (req.signal?.aborted) reject(DataverseError.local('aborted', 'The call was cancelled.', err));
        else if (timeout.aborted)
          reject(new DataverseError({ status: 0, code: 'timeout', serviceMessage: `No answer within ${req.timeoutMs} ms.`, cause: err }));
        else {
          const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
          reject(new DataverseError({ status: 0, code: 'network', serviceMessage: `${code || 'Connection failed'}`.trim(), cause: err }));
        }
      };
      if (signal.aborted) {
        fail(signal.reason);
        return;
      }
      const request = mod.request(
        url,
        { method: req.method, headers, agent: agents[url.protocol as 'http:' | 'https:'], signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', fail);
          res.on('aborted', () => fail(new Error('response aborted')));
          res.on('end', () => {
            if (!res.complete) {
              fail(Object.assign(new Error('Connection closed before the answer was complete'), { code: 'ECONNRESET' }));
              return;
            }
            resolve({ status: res.statusCode ?? 0, headers: toHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      request.on('error', fail);
      request.end(req.body);
    });
  }

  return {
    send,
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/**
 * A `fetch`-shaped adapter over a transport, for oauth4webapi's `customFetch`: the token endpoint
 * call goes through the same guarded connection rules.
 */
export function transportFetch(transport: Transport, timeoutMs: number) {
  return async (
    url: string,
    init: { method?: string; headers?: HeadersInit; body?: BodyInit | null; signal?: AbortSignal | null },
  ): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const body =
      init.body == null
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : init.body instanceof URLSearchParams
            ? init.body.toString()
            : String(init.body);
    const res = await transport.send({
      method: (init.method ?? 'GET') as WireRequest['method'],
      url,
      headers,
      body,
      signal: init.signal ?? undefined,
      timeoutMs,
    });
    return new Response(res.status === 204 || res.status === 304 ? null : res.body, { status: res.status, headers: res.headers });
  };
}
