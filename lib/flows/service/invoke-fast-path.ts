/**
 * The API request trigger's fast path: `scripts/serve.mjs` hands it the calls that carry a flow key
 * (`X-Flow-Key`) and no other credentials, before Next's request pipeline — which costs several
 * times the run itself for a small flow (bench/api-flow-bench.ts, `--profile`). It answers exactly
 * as the route handler does (the same `answerInvoke`, the same body limits and error shapes);
 * anything else (a personal token, a session cookie, a malformed path) goes on to Next, unchanged.
 *
 * It runs in the server process beside Next's bundle, loaded through tsx, and shares the process's
 * database, run queue, run signals and runtime through their process singletons.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { getDb } from '@/lib/db/database';
import { processRuntime } from '@/lib/flows/runtime/start-runtime';
import { toErrorResponse } from '@/lib/server/error-response';
import { readJsonBody } from '@/lib/server/read-json-body';
import { answerInvoke } from './invoke-http';

const PATH = /^\/api\/flows\/([0-9A-HJKMNP-TV-Z]{26})\/invoke$/;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** What next.config.ts adds to every response that applies to a JSON answer. */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
};

/** The flow id when this request is one the fast path answers, else undefined. */
export function fastInvokeTarget(req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): string | undefined {
  if (!METHODS.has(req.method ?? '') || typeof req.headers['x-flow-key'] !== 'string') return undefined;
  if (req.headers.authorization !== undefined || req.headers.cookie !== undefined) return undefined;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return PATH.exec(q === -1 ? url : url.slice(0, q))?.[1];
}

export async function answerFastInvoke(req: IncomingMessage, res: ServerResponse, flowId: string): Promise<void> {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  let response: Response;
  try {
    const db = await getDb();
    // The runtime normally starts from Next's instrumentation hook; this makes sure it runs even if
    // the first request of the process comes here (the same process-wide runtime either way).
    void processRuntime(getDb).catch(() => {});
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const hasBody = !['GET', 'HEAD', 'DELETE'].includes(req.method!);
    const request = new Request(`http://localhost${req.url}`, {
      method: req.method,
      headers,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
    } as RequestInit);
    const body = hasBody ? await readJsonBody(request) : undefined;
    response = await answerInvoke(db, request, flowId, { userId: undefined, body, signal: controller.signal });
  } catch (err) {
    response = toErrorResponse(err);
  }
  const out: Record<string, string> = { ...SECURITY_HEADERS };
  response.headers.forEach((value, name) => (out[name] = value));
  const payload = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (payload) out['content-length'] = String(payload.length);
  // A body refused before it was read to the end leaves bytes on the connection: close it.
  if (response.status === 413 || response.status === 415) out.connection = 'close';
  res.writeHead(response.status, out);
  res.end(payload);
}
