/**
 * HTTP request step. The Dataverse client's SSRF rules apply (S1): only http(s); an address that
 * is loopback, private, link-local, cloud metadata (IPv4-mapped forms included) is refused at
 * connect time — IP literals before connecting, names in the socket's own DNS lookup, so the
 * address checked is the address connected to (no rebinding window). Redirects are followed here,
 * one hop at a time, each hop checked again. Hosts on `HTTP_STEP_ALLOWED_HOSTS` (comma-separated
 * `host` or `host:port`) may be private: a local service, a test server.
 */
import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import { parseRetryAfter } from '@/lib/dynamics/client/retry/retry-after';
import type { Resolver } from '@/lib/dynamics/client/seams';
import { isAllowListed, parseAllowedHosts } from '@/lib/dynamics/client/url-safety/allowed-hosts';
import { classifyAddress, isIpLiteral } from '@/lib/dynamics/client/url-safety/ip-ranges';
import { createGuardedLookup } from '@/lib/dynamics/client/url-safety/resolve-public';
import { asText } from './toolbox';
import { StepError, type StepContext, type StepExecutor } from './step-executor';

export const HTTP_STEP_ALLOWED_HOSTS_ENV = 'HTTP_STEP_ALLOWED_HOSTS';
export const MAX_RESPONSE_BODY_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 5;
/** Transient answers: retrying later may work (Logic Apps and the Dataverse client retry the same set). */
export const RETRYABLE_HTTP_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

const inputsSchema = z.object({
  method: z.enum(METHODS),
  url: z.string().min(1).max(8_000),
  headers: z.record(z.string(), z.unknown()).nullish(),
  query: z.record(z.string(), z.unknown()).nullish(),
  body: z.unknown().optional(),
  timeoutSeconds: z.number().min(1).max(300).default(30),
});

export interface HttpStepOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  truncated?: true;
}

export interface HttpStepOptions {
  /** Hosts that may be private (`host` or `host:port`); default: `HTTP_STEP_ALLOWED_HOSTS`. */
  allowedHosts?: readonly string[];
  /** DNS seam for tests. */
  resolver?: Resolver;
  maxBodyBytes?: number;
}

/** The allow-list from configuration, read at each call (so a test or a restart-free change applies). */
export const httpStepAllowedHosts = (env: NodeJS.ProcessEnv = process.env): string[] => parseAllowedHosts(env[HTTP_STEP_ALLOWED_HOSTS_ENV]);

/** Headers a flow may not set: the connection's own, and the ones the runtime sets. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer']);
const RUNTIME_HEADERS = ['idempotency-key', 'x-flow-run-id', 'x-flow-chain-depth'];
/** Credentials a flow set for one origin are not sent to another after a redirect. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const blocked = (message: string): StepError => new StepError('ssrf_blocked', message, { retryable: false });
const invalidInput = (message: string): StepError => new StepError('invalid_input', message, { retryable: false });
/** host and path only: a query string may carry an API key. */
const where = (url: URL): string => `${url.protocol}//${url.host}${url.pathname}`;

function buildUrl(raw: string, query: Record<string, unknown> | null | undefined): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalidInput(`The URL "${raw.slice(0, 200)}" is not a valid absolute URL.`);
  }
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined && v !== null) url.searchParams.append(name, asText(v));
  }
  return url;
}

/** The pre-connect half of the guard (the DNS half runs in the socket's lookup). */
function checkTarget(url: URL, allowedHosts: readonly string[]): { allowListed: boolean } {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw blocked(`The ${url.protocol.replace(/:$/, '')} scheme is not allowed; an HTTP request uses http or https.`);
  }
  const allowListed = isAllowListed(url, allowedHosts);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowListed && isIpLiteral(host)) {
    const cls = classifyAddress(host);
    if (cls !== 'public') throw blocked(`${url.host} is a ${cls} address, which an HTTP request may not reach.`);
  }
  return { allowListed };
}

function requestHeaders(ctx: StepContext, given: Record<string, unknown> | null | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given ?? {})) {
    if (!HEADER_NAME.test(name)) throw invalidInput(`"${name.slice(0, 100)}" is not a valid header name.`);
    const key = name.toLowerCase();
    if (value === undefined || value === null || RESERVED_HEADERS.has(key) || RUNTIME_HEADERS.includes(key)) continue;
    const text = asText(value);
    if (/[\r\n\0]/.test(text)) throw invalidInput(`The value of header ${name} contains a line break.`);
    headers[key] = text;
  }
  headers['idempotency-key'] = ctx.idempotencyKey;
  headers['x-flow-run-id'] = ctx.runId;
  headers['x-flow-chain-depth'] = String(ctx.chainDepth + 1);
  return headers;
}

function requestBody(body: unknown, headers: Record<string, string>): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return body;
  }
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(body);
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
}

interface Hop {
  url: URL;
  method: Method;
  headers: Record<string, string>;
  body?: string;
}

function sendHop(
  hop: Hop,
  allowListed: boolean,
  opts: { resolver?: Resolver; signal: AbortSignal; maxBodyBytes: number },
): Promise<RawResponse> {
  // Allow-listed: the name may resolve privately; anything else must resolve to public addresses only.
  const lookup = createGuardedLookup({ allowedHosts: allowListed ? [hop.url.hostname] : [], resolver: opts.resolver });
  const mod = hop.url.protocol === 'https:' ? https : http;
  const headers = { ...hop.headers, ...(hop.body !== undefined ? { 'content-length': String(Buffer.byteLength(hop.body)) } : {}) };
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    const done = (fn: () => void): void => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    let request: http.ClientRequest;
    try {
      // agent: false — a fresh connection per hop, so no pooled socket skips the lookup's check.
      request = mod.request(hop.url, { method: hop.method, headers, lookup, agent: false, signal: opts.signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = (truncated: boolean): void =>
          done(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated }));
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = opts.maxBodyBytes - size;
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room));
            size += room;
            finish(true);
            res.destroy();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => finish(false));
        res.on('error', (err) => done(() => reject(err)));
        res.on('aborted', () => done(() => reject(Object.assign(new Error('The answer was cut off'), { code: 'ECONNRESET' }))));
      });
    } catch (err) {
      // Node refuses some header values synchronously.
      reject(invalidInput(`The request could not be built: ${(err as Error).message}`));
      return;
    }
    request.on('error', (err) => done(() => reject(err)));
    request.end(hop.body);
  });
}

function toStepError(err: unknown, url: URL, ctxSignal: AbortSignal, timeout: AbortSignal, timeoutSeconds: number): StepError {
  if (err instanceof StepError) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 'unsafe_url') return blocked(`${url.host} may not be reached: ${(err as Error).message}`);
  if (ctxSignal.aborted) return new StepError('http_aborted', `The request to ${where(url)} was cancelled.`, { cause: err });
  if (timeout.aborted) {
    return new StepError('http_timeout', `${where(url)} did not answer within ${timeoutSeconds} s.`, { retryable: true, cause: err });
  }
  const reason = typeof code === 'string' ? code : 'the connection failed';
  return new StepError('http_network', `Could not reach ${url.host}: ${reason}.`, { retryable: true, cause: err });
}

function responseHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || name === 'set-cookie') continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const isJson = (contentType: string | undefined): boolean => /^\s*application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType ?? '');

function responseBody(raw: RawResponse, method: Method): unknown {
  if (method === 'HEAD') return null;
  const text = raw.body.toString('utf8');
  if (!raw.truncated && isJson(raw.headers['content-type'])) {
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function nextHop(hop: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = new URL(location, hop.url);
  } catch {
    throw new StepError('http_bad_redirect', `${where(hop.url)} redirected to an invalid address.`);
  }
  const headers = { ...hop.headers };
  if (url.origin !== hop.url.origin) for (const h of CREDENTIAL_HEADERS) delete headers[h];
  // 303 always becomes a GET; 301/302 after a POST do too (what browsers and fetch do); 307/308 keep method and body.
  const toGet = (status === 303 && hop.method !== 'HEAD') || ((status === 301 || status === 302) && hop.method === 'POST');
  if (!toGet) return { ...hop, url, headers };
  delete headers['content-type'];
  return { url, method: 'GET', headers };
}

/**
 * @example
 * const run = createHttpRequestExecutor({ allowedHosts: ['127.0.0.1:4010'] });
 * await run(ctx, { method: 'GET', url: 'http://127.0.0.1:4010/ping', timeoutSeconds: 5 }) // { output: { status: 200, … } }
 */
export function createHttpRequestExecutor(options: HttpStepOptions = {}): StepExecutor {
  return async (ctx, inputs) => {
    const parsed = inputsSchema.safeParse(inputs);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`).join('; ');
      throw invalidInput(`The HTTP request's inputs are not valid: ${detail}`);
    }
    const { method, timeoutSeconds } = parsed.data;
    const allowedHosts = options.allowedHosts ?? httpStepAllowedHosts();
    const maxBodyBytes = options.maxBodyBytes ?? MAX_RESPONSE_BODY_BYTES;
    const headers = requestHeaders(ctx, parsed.data.headers);
    let hop: Hop = { url: buildUrl(parsed.data.url, parsed.data.query), method, headers };
    hop.body = requestBody(parsed.data.body, hop.headers);
    const timeout = AbortSignal.timeout(timeoutSeconds * 1_000);
    const signal = AbortSignal.any([ctx.signal, timeout]);

    for (let redirects = 0; ; redirects++) {
      const { allowListed } = checkTarget(hop.url, allowedHosts);
      let raw: RawResponse;
      try {
        raw = await sendHop(hop, allowListed, { resolver: options.resolver, signal, maxBodyBytes });
      } catch (err) {
        throw toStepError(err, hop.url, ctx.signal, timeout, timeoutSeconds);
      }
      const location = raw.headers.location;
      if (REDIRECTS.has(raw.status) && location) {
        if (redirects >= MAX_REDIRECTS) {
          throw new StepError('http_too_many_redirects', `${where(hop.url)} redirected more than ${MAX_REDIRECTS} times.`);
        }
        ctx.log('debug', `HTTP ${raw.status}: following the redirect from ${where(hop.url)}`);
        hop = nextHop(hop, raw.status, location);
        continue;
      }
      const output: HttpStepOutput = {
        status: raw.status,
        headers: responseHeaders(raw.headers),
        body: responseBody(raw, hop.method),
        ...(raw.truncated ? { truncated: true as const } : {}),
      };
      if (raw.status >= 200 && raw.status < 300) return { output };
      const retryAfterMs = parseRetryAfter(output.headers['retry-after'], Date.now());
      throw new StepError('http_' + raw.status, `${hop.method} ${where(hop.url)} answered HTTP ${raw.status}${statusText(raw.status)}.`, {
        retryable: RETRYABLE_HTTP_STATUSES.has(raw.status),
        status: raw.status,
        data: output,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
  };
}

const statusText = (status: number): string => (http.STATUS_CODES[status] ? ` ${http.STATUS_CODES[status]}` : '');

/** The executor the registry uses: the allow-list from `HTTP_STEP_ALLOWED_HOSTS`. */
export const httpRequest: StepExecutor = (ctx, inputs) => createHttpRequestExecutor()(ctx, inputs);
