import type { ExpressionEvaluator, ExpressionScope } from '../expressions/evaluator';
import { isExpression, isReference } from '../model/input';

export type Resolved = { ok: true; value: Record<string, unknown> } | { ok: false; code: string; message: string; path: string };

/**
 * A step's inputs with every `{expr}` evaluated (all in one batch, off the main thread) and every
 * `{ref}` read from the scope; `{literal}` is unwrapped without looking inside.
 */
export async function resolveStepInputs(
  inputs: Record<string, unknown>,
  scope: ExpressionScope,
  evaluator: () => ExpressionEvaluator,
  signal?: AbortSignal,
): Promise<Resolved> {
  const exprs: { path: string; text: string }[] = [];
  collect(inputs, '', exprs);
  const values = new Map<string, unknown>();
  if (exprs.length > 0) {
    const results = await evaluator().evaluateAll(
      exprs.map((e) => e.text),
      scope,
      { signal },
    );
    for (let i = 0; i < exprs.length; i++) {
      const r = results[i]!;
      if (!r.ok) return { ok: false, code: r.code, message: `${exprs[i]!.path || 'input'}: ${r.message}`, path: exprs[i]!.path };
      values.set(exprs[i]!.path, r.value === undefined ? null : r.value);
    }
  }
  return { ok: true, value: substitute(inputs, '', values, scope) as Record<string, unknown> };
}

function collect(value: unknown, path: string, out: { path: string; text: string }[]): void {
  if (isExpression(value)) out.push({ path, text: value.expr });
  else if (Array.isArray(value)) value.forEach((v, i) => collect(v, join(path, i), out));
  else if (isPlainObject(value) && !isReference(value) && !isLiteral(value)) {
    for (const [k, v] of Object.entries(value)) collect(v, join(path, k), out);
  }
}

function substitute(value: unknown, path: string, values: Map<string, unknown>, scope: ExpressionScope): unknown {
  if (isExpression(value)) return values.get(path);
  // A reference's path is read from the step's record, as documented (`output.id`, `error.code`); no path is its output.
  if (isReference(value)) return readPath(scope.steps[value.ref.step], value.ref.path ?? 'output');
  if (isLiteral(value)) return value.literal;
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, join(path, i), values, scope));
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, join(path, k), values, scope)]));
  return value;
}

/** Own properties only, so a path such as `__proto__.x` reads nothing. */
function readPath(root: unknown, path: string | undefined): unknown {
  let current = root;
  for (const part of (path ?? '').split('.').filter(Boolean)) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) return null;
    current = (current as Record<string, unknown>)[part];
  }
  return current ?? null;
}

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLiteral = (v: unknown): v is { literal: unknown } => isPlainObject(v) && Object.keys(v).length === 1 && 'literal' in v;
