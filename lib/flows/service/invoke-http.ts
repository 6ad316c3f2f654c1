import type { Db } from '@/lib/db/database';
import { runtimeConfig } from '@/lib/flows/runtime/runtime-config';
import { ApiError } from '@/lib/server/api-error';
import { invokeFlow } from './invoke-flow';

/** Never handed to the flow: credentials, and what the proxy and the HTTP layer own. */
const PRIVATE_HEADERS = new Set([
  'authorization',
  'cookie',
  'proxy-authorization',
  'x-flow-key',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);
const MAX_HEADERS = 50;
const NO_BODY = new Set([204, 205, 304]);

/**
 * The API request trigger over HTTP, from an already read body: the request's headers and query as
 * the trigger data, the flow's answer as the response. Shared by the route handler
 * (app/api/flows/[id]/invoke) and the server's fast path (invoke-fast-path.ts), so both answer
 * alike.
 */
export async function answerInvoke(
  db: Db,
  req: Request,
  flowId: string,
  opts: { userId: string | undefined; body: unknown; signal?: AbortSignal },
): Promise<Response> {
  const headers: Record<string, string> = {};
  for (const [name, value] of req.headers) {
    if (PRIVATE_HEADERS.has(name) || name.startsWith('x-forwarded-') || name.startsWith('x-middleware-')) continue;
    if (Object.keys(headers).length >= MAX_HEADERS) break;
    headers[name] = value.slice(0, 2_000);
  }
  const depthHeader = req.headers.get('x-flow-chain-depth');
  const chainDepth = depthHeader !== null && /^\d{1,4}$/.test(depthHeader) ? Number(depthHeader) : 0;
  const idempotencyKey = req.headers.get('idempotency-key') ?? undefined;
  if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
    throw new ApiError(400, 'invalid_idempotency_key', 'The Idempotency-Key header must be 1 to 200 visible ASCII characters.');
  }
  const answer = await invokeFlow(db, {
    flowId,
    method: req.method,
    key: req.headers.get('x-flow-key') ?? undefined,
    userId: opts.userId,
    body: opts.body,
    query: Object.fromEntries(new URL(req.url).searchParams),
    headers,
    idempotencyKey,
    chainDepth,
    waitMs: runtimeConfig().API_TRIGGER_WAIT_MS,
    signal: opts.signal,
  });
  const out = new Headers({ 'Cache-Control': 'no-store' });
  for (const [k, v] of Object.entries(answer.headers)) out.set(k, v);
  // HTTP cannot answer a final response with 1xx; 204, 205 and 304 carry no body.
  if (answer.status < 200) {
    throw new ApiError(502, 'invalid_response_status', `The flow answered with status ${answer.status}, which cannot end a request.`);
  }
  if (NO_BODY.has(answer.status) || answer.body === null || answer.body === undefined)
    return new Response(null, { status: answer.status, headers: out });
  if (typeof answer.body === 'string' && out.has('content-type') && !/json/i.test(out.get('content-type')!)) {
    return new Response(answer.body, { status: answer.status, headers: out });
  }
  out.set('content-type', 'application/json');
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: out });
}
