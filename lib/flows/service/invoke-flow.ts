import type { Db } from '@/lib/db/database';
import { ApiError } from '@/lib/server/api-error';
import { isUniqueViolation } from '@/lib/db/errors';
import { enqueueRuns, DuplicateRunRace } from '../runtime/enqueue';
import { runChanges } from '../runtime/run-signals';
import { loadVersionDocument } from '../runtime/run-store';
import { triggerOf } from './flow-view';
import { invokeKeyMatches } from './invoke-key';
import { API_TRIGGER } from './start-flow';

/**
 * The API request trigger: `POST /api/flows/{id}/invoke` (or the method the trigger names). The
 * caller proves it may start the flow with the flow's own key (`X-Flow-Key`, compared in constant
 * time) or the owner's personal API token. One run per request — per `Idempotency-Key` when the
 * caller sends one, so a retried delivery starts nothing new and gets the same answer. The answer is
 * the Response step's status, headers and body, or 202 with the run id when the run has not
 * reached a Response within the wait.
 */
export interface InvokeRequest {
  flowId: string;
  method: string;
  key: string | undefined;
  /** The caller signed in or with a personal API token (apiRoute resolved it), if any. */
  userId: string | undefined;
  body: unknown;
  query: Record<string, string>;
  headers: Record<string, string>;
  idempotencyKey: string | undefined;
  /** `X-Flow-Chain-Depth` sent by a flow's HTTP request step: how many runs led here. */
  chainDepth: number;
  waitMs: number;
  signal?: AbortSignal;
}

export interface InvokeAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A flow that starts itself (directly or through others) more than this many times in a row is stopped (R11). */
export const MAX_CHAIN_DEPTH = 10;

/** Re-read the run at least this often while waiting (another process may be executing it). */
const WAIT_POLL_MS = 200;

const badKey = () =>
  new ApiError(401, 'invalid_flow_key', 'Send the flow\'s key as "X-Flow-Key: dfk_…", or the owner\'s personal API token.');

export async function invokeFlow(db: Db, req: InvokeRequest): Promise<InvokeAnswer> {
  const flow = await db.db
    .selectFrom('flows')
    .select(['id', 'owner_id', 'status', 'published_version', 'invoke_key_hash'])
    .where('id', '=', req.flowId)
    .executeTakeFirst();
  // Wrong key and unknown flow answer alike: a caller without the key learns nothing about ids.
  const keyOk = req.key !== undefined && flow !== undefined && invokeKeyMatches(req.key, flow.invoke_key_hash);
  const ownerOk = req.key === undefined && req.userId !== undefined && flow?.owner_id === req.userId;
  if (!flow || !(keyOk || ownerOk)) {
    if (req.key === undefined && req.userId !== undefined) throw new ApiError(404, 'not_found', 'The flow was not found.');
    throw badKey();
  }
  if (flow.status !== 'active' || flow.published_version === null) {
    throw new ApiError(409, 'flow_not_started', 'The flow is not started: start it to accept requests.');
  }
  const version = Number(flow.published_version);
  const doc = await loadVersionDocument(db, { flowId: flow.id, ownerId: flow.owner_id, flowVersion: version });
  const trigger = doc && triggerOf(doc);
  if (!trigger || trigger.type !== API_TRIGGER) {
    throw new ApiError(409, 'not_api_triggered', 'The started version of this flow is not triggered by API requests.');
  }
  const method = String((trigger.params.inputs as { method?: unknown }).method ?? 'POST');
  if (method !== req.method) {
    throw new ApiError(405, 'method_not_allowed', `This flow accepts ${method} requests.`);
  }
  if (req.chainDepth > MAX_CHAIN_DEPTH) {
    throw new ApiError(
      409,
      'flow_loop',
      `This request comes from a chain of ${req.chainDepth} flow runs that trigger one another; the chain is stopped at ${MAX_CHAIN_DEPTH}.`,
    );
  }
  const runId = await enqueueOnce(db, {
    ownerId: flow.owner_id,
    flowId: flow.id,
    flowVersion: version,
    trigger: { method: req.method, body: req.body ?? null, query: req.query, headers: req.headers },
    triggerKind: API_TRIGGER,
    chainDepth: req.chainDepth,
    ...(req.idempotencyKey ? { dedupeKey: `invoke:${req.idempotencyKey}` } : {}),
  });
  return awaitAnswer(db, runId, req.waitMs, req.signal);
}

async function enqueueOnce(db: Db, request: Parameters<typeof enqueueRuns>[1][number]): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const [run] = await enqueueRuns(db, [request]);
      return run!.runId;
    } catch (err) {
      // Two deliveries of one Idempotency-Key at the same moment: the second reads the first's run.
      if (attempt < 3 && (err instanceof DuplicateRunRace || isUniqueViolation(err))) continue;
      throw err;
    }
  }
}

async function awaitAnswer(db: Db, runId: string, waitMs: number, signal?: AbortSignal): Promise<InvokeAnswer> {
  // Listen before the first read, so a change between a read and the wait is not missed.
  const changes = runChanges(runId);
  try {
    return await pollAnswer(db, runId, Date.now() + waitMs, changes, signal);
  } finally {
    changes.close();
  }
}

async function pollAnswer(
  db: Db,
  runId: string,
  deadline: number,
  changes: ReturnType<typeof runChanges>,
  signal?: AbortSignal,
): Promise<InvokeAnswer> {
  for (;;) {
    // The worker in this process said what happened: no need to read the row again.
    const hint = changes.hint();
    if (hint?.response) return answerOf(runId, hint.response);
    if (hint?.ended && hint.ended.status !== 'succeeded') return failedAnswer(runId, hint.ended.error ?? {});
    const row = await db.db.selectFrom('runs').select(['status', 'response_json', 'error_json']).where('id', '=', runId).executeTakeFirst();
    if (row?.response_json) return answerOf(runId, JSON.parse(row.response_json) as InvokeAnswer);
    if (row && (row.status === 'failed' || row.status === 'cancelled')) {
      return failedAnswer(runId, row.error_json ? (JSON.parse(row.error_json) as { code?: string; message?: string }) : {});
    }
    const left = deadline - Date.now();
    if (row?.status === 'succeeded' || left <= 0 || signal?.aborted) {
      return {
        status: 202,
        headers: { 'x-run-id': runId, location: `/api/runs/${runId}` },
        body: { runId, status: row?.status ?? 'queued' },
      };
    }
    await changes.next(Math.min(WAIT_POLL_MS, left), signal);
  }
}

const answerOf = (runId: string, r: InvokeAnswer): InvokeAnswer => ({
  status: r.status,
  headers: { ...r.headers, 'x-run-id': runId },
  body: r.body,
});

function failedAnswer(runId: string, error: { code?: string; message?: string }): InvokeAnswer {
  return {
    status: 502,
    headers: { 'x-run-id': runId },
    body: {
      error: {
        code: 'flow_failed',
        message: `The flow run failed before it answered: ${error.message ?? 'no reason recorded'}`,
        details: { runId, reason: error.code ?? null },
      },
    },
  };
}
