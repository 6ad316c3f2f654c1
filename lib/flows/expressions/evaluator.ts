import { processSlot } from '@/lib/process-singleton';
import { parsePlainPath, resolvePlainPath } from './plain-path';
import { WorkerPool } from './worker-pool';
import type { EvaluateOptions, EvaluationResult, EvaluatorOptions, ExpressionEvaluator, ExpressionScope } from './types';

export type { EvaluateOptions, EvaluationResult, EvaluatorOptions, ExpressionEvaluator, ExpressionScope } from './types';
export { EXPRESSION_CODES } from './types';

const DEFAULTS = {
  workers: 2,
  timeoutMs: 1000,
  maxOutputBytes: 1024 * 1024,
  maxMemoryMb: 128,
  maxSequence: 100_000,
  maxDepth: 500,
} satisfies Required<EvaluatorOptions>;

/** An evaluator with its own pool of workers (started on first use); internals for tests. */
export interface PooledExpressionEvaluator extends ExpressionEvaluator {
  readonly pool: WorkerPool;
}

/**
 * Evaluates JSONata expressions in worker processes (see worker-pool.ts). Plain paths
 * (`$steps.a1.output.email`) are answered in-process; everything else goes to a worker, all of one
 * call's expressions in one message, with the scope copied once.
 */
export function createExpressionEvaluator(opts: EvaluatorOptions = {}): PooledExpressionEvaluator {
  const settings = { ...DEFAULTS, ...definedOnly(opts) };
  if (!Number.isInteger(settings.workers) || settings.workers < 1)
    throw new RangeError(`workers must be a positive integer, not ${settings.workers}.`);
  const pool = new WorkerPool(settings);
  return {
    pool,
    async evaluateAll(expressions: readonly string[], scope: ExpressionScope, options: EvaluateOptions = {}): Promise<EvaluationResult[]> {
      options.signal?.throwIfAborted();
      const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
      // 0 would switch JSONata's own deadline off (it only checks a positive timeout).
      if (!Number.isFinite(timeoutMs) || timeoutMs < 1)
        throw new RangeError(`timeoutMs must be a positive number of milliseconds, not ${timeoutMs}.`);
      const results: EvaluationResult[] = new Array(expressions.length);
      const remote: { at: number; text: string }[] = [];
      expressions.forEach((text, at) => {
        const path = parsePlainPath(text);
        const outcome = path ? resolvePlainPath(path, scope) : undefined;
        if (outcome?.handled) results[at] = { ok: true, value: outcome.value };
        else remote.push({ at, text });
      });
      if (remote.length > 0) {
        const answered = await pool.evaluate(
          remote.map((r) => r.text),
          scope,
          timeoutMs,
          options.signal,
        );
        remote.forEach((r, k) => (results[r.at] = answered[k]!));
      }
      return results;
    },
    close: () => pool.close(),
  };
}

const singleton = processSlot<ExpressionEvaluator>('flows.expression-evaluator');

/**
 * The process's evaluator, created on first use (its workers start on the first expression that
 * is not a plain path). Closing it forgets it, so the next call starts a new one.
 */
export function expressionEvaluator(): ExpressionEvaluator {
  const existing = singleton.get();
  if (existing) return existing;
  const inner = createExpressionEvaluator();
  const evaluator: ExpressionEvaluator = {
    evaluateAll: (expressions, scope, options) => inner.evaluateAll(expressions, scope, options),
    close: async () => {
      if (singleton.get() === evaluator) singleton.set(undefined);
      await inner.close();
    },
  };
  singleton.set(evaluator);
  return evaluator;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
