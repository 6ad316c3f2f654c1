/**
 * Test hooks under `<service>/_sandbox/`: the sandbox's own control API for tests and benchmarks, not part of
 * Dataverse. They exist only while the sandbox is enabled and need no token.
 *   GET    /_sandbox                → info (URLs, credentials, ids, counts)
 *   POST   /_sandbox/reset          → fresh seeded org (body {"empty":true} for an empty one); clears faults, log, throttle
 *   GET    /_sandbox/faults         → {rules:[…with fired], injected}
 *   PUT    /_sandbox/faults         → body {rules:[{kind:'429'|'503'|'500'|'drop'|'delay', rate?, count?, delayMs?, retryAfterSeconds?, method?, path?, scope?}], seed?}
 *   DELETE /_sandbox/faults         → clear
 *   GET    /_sandbox/requests       → {value:[LoggedRequest], last} (?since=&path=&method=&limit=)
 *   DELETE /_sandbox/requests       → clear
 *   GET    /_sandbox/concurrency    → {value:[{user, active, peak}]} in-flight Web API requests per user (object id), and the peak
 *   DELETE /_sandbox/concurrency    → starts a new peak measurement (each peak becomes the current in-flight count)
 *   GET    /_sandbox/config         → the runtime config
 *   PUT    /_sandbox/config         → partial {tokenLifetimeSeconds, refreshTokenLifetimeSeconds, authCodeLifetimeSeconds, limits:{requests,concurrent,windowSeconds}, maxBodyBytes, changeTrackingRetentionDays}
 *   POST   /_sandbox/revoke         → body {refresh_token?} | {username?} | {} (all) → {revoked:n}
 *   POST   /_sandbox/bulk           → body {table, count ≤ 100,000} → creates `count` generated rows (benchmarks), in chunks that yield to the event loop
 *   GET    /_sandbox/stats          → {rss, heapUsed, heapTotal, external, eventLoop:{maxMs,p99Ms,meanMs}} of the server process (benchmarks; ?reset=1 restarts the delay histogram)
 *   POST   /_sandbox/gc             → runs a full GC when node was started with --expose-gc (benchmarks)
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { z } from 'zod';
import type { SandboxConfig } from './context';
import { faultConfigSchema } from './faults';
import type { SandboxCore } from './sandbox-core';
import {
  BodyTooLargeError,
  declaredLength,
  jsonDepthExceeds,
  MAX_BULK_ROWS,
  MAX_BULK_TABLE_ROWS,
  MAX_JSON_DEPTH,
  readLimited,
  SMALL_BODY_BYTES,
} from './util/limits';

const configSchema = z
  .object({
    tokenLifetimeSeconds: z.number().int().min(1).max(86_400),
    refreshTokenLifetimeSeconds: z.number().int().min(1),
    authCodeLifetimeSeconds: z.number().int().min(1),
    limits: z
      .object({ requests: z.number().int().min(1), concurrent: z.number().int().min(1), windowSeconds: z.number().int().min(1) })
      .partial(),
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024),
    changeTrackingRetentionDays: z.number().min(0),
  })
  .partial()
  .strict();

let loopHistogram: IntervalHistogram | null = null;
function eventLoop(): IntervalHistogram {
  if (!loopHistogram) {
    loopHistogram = monitorEventLoopDelay({ resolution: 5 });
    loopHistogram.enable();
  }
  return loopHistogram;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function bad(message: string): Response {
  return json({ error: { code: 'bad_request', message } }, 400);
}

/** Hook bodies are small JSON objects; anything larger is refused while it is read, before it is buffered. */
async function body(req: Request): Promise<unknown> {
  const declared = declaredLength(req.headers);
  if (declared !== null && declared > SMALL_BODY_BYTES) throw new Error(`The hook body is larger than ${SMALL_BODY_BYTES} bytes.`);
  let text: string;
  try {
    text = await readLimited(req.body, SMALL_BODY_BYTES);
  } catch (e) {
    if (e instanceof BodyTooLargeError) throw new Error(`The hook body is larger than ${SMALL_BODY_BYTES} bytes.`);
    throw e;
  }
  if (!text.trim()) return {};
  if (jsonDepthExceeds(text)) throw new Error(`The hook body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('Invalid JSON body.');
  }
}

export async function handleHooks(core: SandboxCore, req: Request, url: URL, rest: string, service: string): Promise<Response> {
  const m = req.method;
  try {
    switch (rest) {
      case '':
        if (m !== 'GET') break;
        return json(core.info(service));
      case 'reset': {
        if (m !== 'POST') break;
        const b = z.object({ empty: z.boolean().optional() }).safeParse(await body(req));
        if (!b.success) return bad(b.error.message);
        core.reset(b.data.empty === true);
        return json({ ok: true, counts: core.counts() });
      }
      case 'faults': {
        if (m === 'GET') return json({ rules: core.faults.list(), injected: core.faults.injected });
        if (m === 'DELETE') {
          core.faults.clear();
          return json({ rules: [] });
        }
        if (m === 'PUT' || m === 'POST') {
          const parsed = faultConfigSchema.safeParse(await body(req));
          if (!parsed.success) return bad(parsed.error.message);
          core.faults.set(parsed.data.rules, parsed.data.seed);
          return json({ rules: core.faults.list() });
        }
        break;
      }
      case 'requests': {
        if (m === 'DELETE') {
          core.log.clear();
          return json({ value: [] });
        }
        if (m !== 'GET') break;
        const num = (k: string): number | undefined => {
          const v = url.searchParams.get(k);
          return v === null ? undefined : Number(v);
        };
        return json(
          core.log.query({
            since: num('since'),
            limit: num('limit'),
            path: url.searchParams.get('path') ?? undefined,
            method: url.searchParams.get('method') ?? undefined,
          }),
        );
      }
      case 'concurrency': {
        // What a client's concurrency cap is judged by: the requests the service held at once per user.
        if (m === 'DELETE') {
          core.throttle.resetPeaks();
          return json({ value: core.throttle.concurrency() });
        }
        if (m !== 'GET') break;
        return json({ value: core.throttle.concurrency() });
      }
      case 'config': {
        if (m === 'GET') return json(core.config);
        if (m !== 'PUT' && m !== 'PATCH') break;
        const parsed = configSchema.safeParse(await body(req));
        if (!parsed.success) return bad(parsed.error.message);
        const { limits, ...rest2 } = parsed.data;
        Object.assign(core.config, rest2 as Partial<SandboxConfig>);
        if (limits) Object.assign(core.config.limits, limits);
        return json(core.config);
      }
      case 'revoke': {
        if (m !== 'POST') break;
        const b = z.object({ refresh_token: z.string().optional(), username: z.string().optional() }).safeParse(await body(req));
        if (!b.success) return bad(b.error.message);
        const user = b.data.username ? core.users.find((u) => u.username.toLowerCase() === b.data.username?.toLowerCase()) : undefined;
        if (b.data.username && !user) return bad(`Unknown user '${b.data.username}'.`);
        return json({ revoked: core.grants.revoke({ refreshToken: b.data.refresh_token, objectId: user?.objectId }) });
      }
      case 'bulk': {
        if (m !== 'POST') break;
        const b = z.object({ table: z.string(), count: z.number().int().min(1).max(MAX_BULK_ROWS) }).safeParse(await body(req));
        if (!b.success) return bad(b.error.message);
        const created = await core.bulk(b.data.table, b.data.count);
        if (created === 'unknown') return bad(`Unknown table '${b.data.table}'.`);
        if (created === 'full') return bad(`The table '${b.data.table}' would hold more than ${MAX_BULK_TABLE_ROWS} rows.`);
        return json({ created, counts: core.counts() });
      }
      case 'stats': {
        if (m !== 'GET') break;
        const mem = process.memoryUsage();
        const loop = eventLoop();
        const body = {
          rss: mem.rss,
          heapUsed: mem.heapUsed,
          heapTotal: mem.heapTotal,
          external: mem.external,
          counts: core.counts(),
          // Event-loop delay since the previous `?reset=1` (benchmarks: no write may stall the loop).
          eventLoop: { maxMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6, meanMs: loop.mean / 1e6 },
        };
        if (url.searchParams.get('reset') === '1') loop.reset();
        return json(body);
      }
      case 'gc': {
        if (m !== 'POST') break;
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        return json({ collected: typeof gc === 'function' });
      }
      default:
        return json({ error: { code: 'not_found', message: `No sandbox hook '${rest}'.` } }, 404);
    }
    return json({ error: { code: 'method_not_allowed', message: `${m} is not supported on /_sandbox/${rest}.` } }, 405);
  } catch (e) {
    return bad((e as Error).message);
  }
}
