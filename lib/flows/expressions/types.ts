/**
 * What an expression sees. `$trigger`, `$steps`, `$vars`, `$item`, `$index` and `$run` are bound to
 * these fields, and the root `$` is `{ trigger, steps, vars, item }`, so `trigger.body.x` and
 * `$trigger.body.x` read the same value.
 */
export interface ExpressionScope {
  /** The trigger step's output (`$trigger`). */
  trigger: unknown;
  /** Every step that ran so far (`$steps.<id>.output`). */
  steps: Record<string, { status: string; output?: unknown; error?: unknown }>;
  /** The flow's variables (`$vars.<name>`). */
  vars: Record<string, unknown>;
  /** The current element and its position inside a For each body (`$item`, `$index`). */
  item?: unknown;
  index?: number;
  /** The run being executed (`$run`). */
  run: { id: string; flowId: string; mode: string };
}

/**
 * One expression's outcome. `value` is JSON data (it went through JSON in the worker), or
 * `undefined` when the expression selected nothing (JSONata's "no match", e.g. a missing field);
 * callers that need JSON (resolveInputs) turn `undefined` into `null`.
 */
export type EvaluationResult = { ok: true; value: unknown } | { ok: false; code: string; message: string; position?: number };

export interface EvaluateOptions {
  /** The deadline of each expression, in milliseconds (the evaluator's default otherwise). */
  timeoutMs?: number;
  /** Aborting rejects the promise with the signal's reason and stops the worker running the batch. */
  signal?: AbortSignal;
}

export interface ExpressionEvaluator {
  /** Evaluates several expressions against one scope in ONE round trip to a worker. */
  evaluateAll(expressions: readonly string[], scope: ExpressionScope, opts?: EvaluateOptions): Promise<EvaluationResult[]>;
  /** Stops the workers; queued and running batches reject. */
  close(): Promise<void>;
}

export interface EvaluatorOptions {
  /** Worker processes in the pool (default 2); batches beyond that wait in a queue. */
  workers?: number;
  /** Default deadline of one expression, in milliseconds (default 1000). */
  timeoutMs?: number;
  /** Largest result, serialized as JSON (default 1 MiB). */
  maxOutputBytes?: number;
  /** Old-generation heap of each worker process, in MiB (default 128); past it the worker dies alone. */
  maxMemoryMb?: number;
  /** Longest sequence an expression may build (JSONata's `sequence` guardrail, default 100,000). */
  maxSequence?: number;
  /** Deepest nesting of evaluation (JSONata's `stack` guardrail, default 500). */
  maxDepth?: number;
}

/** Codes this module adds to JSONata's own (D1012, T2002, S0201…). */
export const EXPRESSION_CODES = {
  timeout: 'expression_timeout',
  tooLarge: 'expression_too_large',
  outputTooLarge: 'output_too_large',
  unsupportedRegex: 'unsupported_regex',
  notData: 'expression_not_data',
  failed: 'expression_failed',
  engineUnavailable: 'expression_engine_unavailable',
} as const;
