/**
 * The HTTP request step against a real node:http server on a loopback port (allow-listed, as
 * HTTP_STEP_ALLOWED_HOSTS would), and the SSRF cases (S1) that must never reach a socket.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db/database';
import type { FlowNode } from '../model/schema';
import { createHttpRequestExecutor, httpRequest, type HttpStepOutput } from './http-request';
import { StepError, type StepContext } from './step-executor';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let other: http.Server;
let origin: string;
let otherOrigin: string;
const seen: Seen[] = [];
const otherSeen: string[] = [];

function route(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', origin);
  const p = url.pathname;
  if (p === '/echo') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'set-cookie': 'sid=secret', 'x-multi': ['a', 'b'] });
    res.end(JSON.stringify({ method: req.method, query: Object.fromEntries(url.searchParams), body }));
  } else if (p === '/text') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('plain words');
  } else if (p.startsWith('/status/')) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const ra = url.searchParams.get('retryAfter');
    if (ra) headers['retry-after'] = ra;
    res.writeHead(Number(p.slice(8)), headers);
    res.end(JSON.stringify({ error: 'nope' }));
  } else if (p === '/slow') {
    setTimeout(() => res.end('late'), 5_000).unref();
  } else if (p === '/redirect') {
    res.writeHead(Number(url.searchParams.get('code') ?? 302), { location: url.searchParams.get('to') ?? '/echo' });
    res.end();
  } else if (p === '/loop') {
    const n = Number(url.searchParams.get('n') ?? 0);
    res.writeHead(302, { location: `/loop?n=${n + 1}` });
    res.end();
  } else if (p === '/big') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`"${'x'.repeat(2 * 1024 * 1024)}"`);
  } else {
    res.writeHead(404);
    res.end();
  }
}

const listen = (s: http.Server): Promise<string> =>
  new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      route(req, res, body);
    });
  });
  other = http.createServer((req, res) => {
    otherSeen.push(req.url ?? '');
    res.end('should never be reached');
  });
  origin = await listen(server);
  otherOrigin = await listen(other);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => other.close(r));
});
afterEach(() => {
  seen.length = 0;
  otherSeen.length = 0;
});

function context(overrides: Partial<StepContext> = {}): StepContext & { lines: string[] } {
  const lines: string[] = [];
  const node = { id: 'h1', type: 'http.request', typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs: {} } } as FlowNode;
  return {
    db: {} as Db,
    ownerId: 'o',
    flowId: 'f',
    runId: 'run-1',
    mode: 'test',
    stepKey: 'h1',
    node,
    attempt: 1,
    idempotencyKey: 'run-1:h1',
    chainDepth: 2,
    signal: new AbortController().signal,
    log: (_level, message) => lines.push(message),
    lines,
    ...overrides,
  };
}

const local = () => createHttpRequestExecutor({ allowedHosts: [new URL(origin).host] });
const out = async (inputs: Record<string, unknown>, ctx = context()) =>
  (await local()(ctx, { timeoutSeconds: 10, ...inputs })).output as HttpStepOutput;

async function failure(p: Promise<unknown>): Promise<StepError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StepError);
  return e as StepError;
}

describe('HTTP request against an allow-listed local server', () => {
  it('sends method, query, JSON body and the run headers; returns status, headers (no set-cookie) and parsed JSON', async () => {
    const o = await out({
      method: 'POST',
      url: `${origin}/echo?a=1`,
      query: { b: 'two', c: [3, 4] },
      headers: { 'X-Custom': 7 },
      body: { n: 1 },
    });
    expect(o.status).toBe(200);
    expect(o.body).toEqual({ method: 'POST', query: { a: '1', b: 'two', c: '4' }, body: '{"n":1}' });
    expect(o.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(o.headers['x-multi']).toBe('a, b');
    expect(o.headers['set-cookie']).toBeUndefined();
    const req = seen[0]!;
    expect(req.url).toBe('/echo?a=1&b=two&c=3&c=4');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-custom']).toBe('7');
    expect(req.headers['idempotency-key']).toBe('run-1:h1');
    expect(req.headers['x-flow-run-id']).toBe('run-1');
    expect(req.headers['x-flow-chain-depth']).toBe('3');
  });

  it('sends the same idempotency key on every attempt, and a flow cannot overwrite the run headers', async () => {
    const ctx = context({ attempt: 2 });
    await out({ method: 'PUT', url: `${origin}/echo`, headers: { 'Idempotency-Key': 'mine', 'X-Flow-Chain-Depth': '0' } }, ctx);
    await out({ method: 'PUT', url: `${origin}/echo` }, context({ attempt: 3 }));
    expect(seen.map((s) => [s.headers['idempotency-key'], s.headers['x-flow-chain-depth']])).toEqual([
      ['run-1:h1', '3'],
      ['run-1:h1', '3'],
    ]);
  });

  it('sends a string body as it is and returns text bodies as text', async () => {
    const o = await out({ method: 'POST', url: `${origin}/echo`, body: 'a=b' });
    expect((o.body as { body: string }).body).toBe('a=b');
    expect(seen[0]!.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await out({ method: 'GET', url: `${origin}/text` })).body).toBe('plain words');
  });

  it('caps the body at 1 MiB and says so', async () => {
    const o = await out({ method: 'GET', url: `${origin}/big` });
    expect(o.truncated).toBe(true);
    expect(typeof o.body).toBe('string');
    expect((o.body as string).length).toBe(1024 * 1024);
  });

  it('fails non-2xx with http_<status>, retryable only when transient, Retry-After in seconds or as a date', async () => {
    const e503 = await failure(local()(context(), { method: 'GET', url: `${origin}/status/503?retryAfter=7`, timeoutSeconds: 5 }));
    expect([e503.code, e503.retryable, e503.options.retryAfterMs, e503.options.status]).toEqual(['http_503', true, 7000, 503]);
    expect((e503.options.data as HttpStepOutput).body).toEqual({ error: 'nope' });
    expect(e503.message).toBe(`GET ${origin}/status/503 answered HTTP 503 Service Unavailable.`);
    const date = new Date(Date.now() + 60_000).toUTCString();
    const e429 = await failure(
      local()(context(), { method: 'GET', url: `${origin}/status/429?retryAfter=${encodeURIComponent(date)}`, timeoutSeconds: 5 }),
    );
    expect(e429.retryable).toBe(true);
    expect(e429.options.retryAfterMs).toBeGreaterThan(50_000);
    expect(e429.options.retryAfterMs).toBeLessThanOrEqual(60_000);
    for (const [status, retryable] of [
      [400, false],
      [404, false],
      [408, true],
      [425, true],
      [500, true],
      [501, false],
      [502, true],
      [504, true],
    ] as const) {
      const e = await failure(local()(context(), { method: 'GET', url: `${origin}/status/${status}`, timeoutSeconds: 5 }));
      expect([e.code, e.retryable], String(status)).toEqual([`http_${status}`, retryable]);
    }
  });

  it('times out with a retryable http_timeout, and stops at once when the run is cancelled', async () => {
    const e = await failure(local()(context(), { method: 'GET', url: `${origin}/slow`, timeoutSeconds: 1 }));
    expect([e.code, e.retryable]).toEqual(['http_timeout', true]);
    const controller = new AbortController();
    const p = local()(context({ signal: controller.signal }), { method: 'GET', url: `${origin}/slow`, timeoutSeconds: 30 });
    setTimeout(() => controller.abort(), 50);
    const cancelled = await failure(p);
    expect([cancelled.code, cancelled.retryable]).toEqual(['http_aborted', false]);
  });

  it('reports a refused connection as a retryable http_network', async () => {
    const closed = http.createServer();
    const url = await listen(closed);
    await new Promise((r) => closed.close(r));
    const e = await failure(
      createHttpRequestExecutor({ allowedHosts: [new URL(url).host] })(context(), { method: 'GET', url, timeoutSeconds: 5 }),
    );
    expect([e.code, e.retryable]).toEqual(['http_network', true]);
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('follows redirects (303 becomes GET, 307 keeps the body), at most 5', async () => {
    const o = await out({ method: 'POST', url: `${origin}/redirect?code=303&to=/echo`, body: { a: 1 } });
    expect(o.body).toMatchObject({ method: 'GET', body: '' });
    const kept = await out({ method: 'POST', url: `${origin}/redirect?code=307&to=/echo`, body: { a: 1 } });
    expect(kept.body).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect(seen.at(-1)!.headers['idempotency-key']).toBe('run-1:h1');
    const e = await failure(local()(context(), { method: 'GET', url: `${origin}/loop`, timeoutSeconds: 5 }));
    expect(e.code).toBe('http_too_many_redirects');
    expect(seen.filter((s) => s.url.startsWith('/loop'))).toHaveLength(6);
  });

  it('does not carry a flow’s credentials to another origin on a redirect', async () => {
    const port = new URL(origin).port;
    const resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const executor = createHttpRequestExecutor({ allowedHosts: [`127.0.0.1:${port}`, `other.test:${port}`], resolver });
    const to = encodeURIComponent(`http://other.test:${port}/echo`);
    const headers = { Authorization: 'Bearer flow-own', Cookie: 'a=b', 'X-Keep': 'yes' };
    await executor(context(), { method: 'GET', url: `${origin}/redirect?code=302&to=${to}`, headers, timeoutSeconds: 5 });
    await executor(context(), { method: 'GET', url: `${origin}/redirect?code=302&to=/echo`, headers, timeoutSeconds: 5 });
    const [first, crossed, second, same] = seen;
    expect(first!.headers.authorization).toBe('Bearer flow-own');
    expect([crossed!.headers.host, crossed!.headers.authorization, crossed!.headers.cookie, crossed!.headers['x-keep']]).toEqual([
      `other.test:${port}`,
      undefined,
      undefined,
      'yes',
    ]);
    expect(second!.headers.authorization).toBe('Bearer flow-own');
    expect(same!.headers.authorization).toBe('Bearer flow-own');
  });

  it('reads the allow-list from HTTP_STEP_ALLOWED_HOSTS', async () => {
    const saved = process.env.HTTP_STEP_ALLOWED_HOSTS;
    try {
      delete process.env.HTTP_STEP_ALLOWED_HOSTS;
      expect((await failure(httpRequest(context(), { method: 'GET', url: `${origin}/text`, timeoutSeconds: 5 }))).code).toBe(
        'ssrf_blocked',
      );
      process.env.HTTP_STEP_ALLOWED_HOSTS = `example.org, ${new URL(origin).host}`;
      expect((await httpRequest(context(), { method: 'GET', url: `${origin}/text`, timeoutSeconds: 5 })).output).toMatchObject({
        status: 200,
      });
    } finally {
      if (saved === undefined) delete process.env.HTTP_STEP_ALLOWED_HOSTS;
      else process.env.HTTP_STEP_ALLOWED_HOSTS = saved;
    }
  });

  it('refuses malformed inputs precisely', async () => {
    const e = await failure(local()(context(), { method: 'FETCH', url: 'not a url', timeoutSeconds: 5 }));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/^The HTTP request's inputs are not valid: method: /);
    expect((await failure(local()(context(), { method: 'GET', url: 'not a url', timeoutSeconds: 5 }))).message).toContain(
      'not a valid absolute URL',
    );
    expect((await failure(local()(context(), { method: 'GET', url: `${origin}/echo`, headers: { 'X-A': 'a\r\nb: c' } }))).code).toBe(
      'invalid_input',
    );
  });
});

describe('SSRF: blocked before any byte is sent (S1)', () => {
  const noList = createHttpRequestExecutor({ allowedHosts: [] });
  const blockedFor = async (url: string, executor = noList) => {
    const e = await failure(executor(context(), { method: 'GET', url, timeoutSeconds: 5 }));
    expect(e.code, url).toBe('ssrf_blocked');
    expect(e.retryable).toBe(false);
    return e;
  };

  it('refuses loopback, private, link-local and metadata addresses in every spelling', async () => {
    const port = new URL(otherOrigin).port;
    for (const url of [
      `${otherOrigin}/`,
      `http://127.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://[::1]:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://[fd00:ec2::254]/',
      'http://10.0.0.8/',
      'http://192.168.1.1/',
      'http://0.0.0.0/',
    ])
      await blockedFor(url);
    expect((await blockedFor('http://169.254.169.254/')).message).toContain('metadata');
    expect(otherSeen).toEqual([]);
  });

  it('allows only the allow-listed port of a host', async () => {
    await blockedFor(`${otherOrigin}/`, local());
    expect(otherSeen).toEqual([]);
  });

  it('refuses a 302 from an allowed host to a private one', async () => {
    const e = await blockedFor(`${origin}/redirect?code=302&to=${encodeURIComponent(`${otherOrigin}/secret`)}`, local());
    expect(e.message).toContain(new URL(otherOrigin).host);
    expect(seen.map((s) => s.url)).toEqual([expect.stringMatching(/^\/redirect/)]);
    await blockedFor(`${origin}/redirect?code=302&to=${encodeURIComponent('http://169.254.169.254/')}`, local());
    expect(otherSeen).toEqual([]);
  });

  it('refuses a name that resolves to a private address, checked in the connection’s own lookup', async () => {
    const resolver = async (hostname: string) =>
      hostname === 'rebind.example' ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '93.184.216.34', family: 4 }];
    const guarded = createHttpRequestExecutor({ allowedHosts: [], resolver });
    const e = await blockedFor(`http://rebind.example:${new URL(otherOrigin).port}/`, guarded);
    expect(e.message).toContain('127.0.0.1');
    expect(otherSeen).toEqual([]);
  });

  it('refuses other schemes', async () => {
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:70/', 'ftp://example.com/', 'data:text/plain,hi']) {
      expect((await blockedFor(url)).message).toMatch(/scheme is not allowed/);
    }
  });
});
