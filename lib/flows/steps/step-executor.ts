import type { Db } from '@/lib/db/database';
import type { FlowNode } from '../model/schema';
import type { RunMode } from '../runtime/enqueue';

/**
 * What a step executor gets besides its resolved inputs. Executors do the step's work and nothing
 * else: the runtime resolved the inputs (expressions evaluated), and it records, retries and routes.
 */
export interface StepContext {
  db: Db;
  ownerId: string;
  flowId: string;
  runId: string;
  mode: RunMode;
  /** The step key: the node id, or `<forEachId>#<index>/<nodeId>` inside a For each body. */
  stepKey: string;
  node: FlowNode;
  /** 1 on the first try. */
  attempt: number;
  /** `<runId>:<stepKey>`: a Dynamics create reuses it as its primary key, an HTTP request sends it as `Idempotency-Key`. */
  idempotencyKey: string;
  /** How many runs of this flow led to this run (sent on HTTP requests so a self-invoking flow is caught). */
  chainDepth: number;
  /** Aborted when the run is cancelled, its lease is lost or the run's duration limit passes. */
  signal: AbortSignal;
  /** A line in the run's log (the Log step, and notes such as "retried after 429"). */
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

/**
 * What a step produced. `output` is what later steps read as `$steps.<id>.output`; the control
 * fields tell the engine how to go on (only the toolbox sets them).
 */
export interface StepOutcome {
  output: unknown;
  /** If: which handle to follow. */
  branch?: 'then' | 'else';
  /** For each: the list to iterate (already checked against the node's item ceiling). */
  items?: readonly unknown[];
  /** Set variable. */
  variable?: { name: string; value: unknown };
  /** Response: what the API trigger's caller is answered. */
  response?: { status: number; headers: Record<string, string>; body: unknown };
}

export type StepExecutor = (ctx: StepContext, inputs: Record<string, unknown>) => Promise<StepOutcome>;

/**
 * A step failed. `retryable` is true only for transient failures (429, 5xx, network, timeouts);
 * `retryAfterMs` carries a server's `Retry-After`, which wins over the backoff.
 */
export class StepError extends Error {
  override readonly name = 'StepError';
  constructor(
    /** A stable code such as `dataverse_429`, `http_503`, `invalid_input`, `flow_failed`, `ssrf_blocked`. */
    readonly code: string,
    message: string,
    readonly options: { retryable?: boolean; retryAfterMs?: number; status?: number; data?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }
  get retryable(): boolean {
    return this.options.retryable === true;
  }
}
