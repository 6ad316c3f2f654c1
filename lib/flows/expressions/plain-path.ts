import type { ExpressionScope } from './types';

/**
 * The fast path: an expression that only walks fields of a binding (`$steps.a1.output.email`,
 * `$trigger.body.x`, `$vars.n`, `$item.sku`, `` $item.`first name` ``) is answered in-process,
 * without a round trip to a worker. Most step inputs are such paths, and they cannot run away.
 * The walk follows JSONata exactly where both are defined (own properties only, a missing field
 * gives `undefined`); where they differ — an array in the middle of the path, over which JSONata
 * maps and flattens — `resolvePlainPath` says "not handled" and the worker evaluates it.
 */
const BINDINGS = {
  trigger: (s: ExpressionScope) => s.trigger,
  steps: (s: ExpressionScope) => s.steps,
  vars: (s: ExpressionScope) => s.vars,
  item: (s: ExpressionScope) => s.item,
  index: (s: ExpressionScope) => s.index,
  run: (s: ExpressionScope) => s.run,
} as const satisfies Record<string, (s: ExpressionScope) => unknown>;

type BindingName = keyof typeof BINDINGS;

/** Words JSONata reads as literals or operators, not field names (`$x.true` is a syntax error). */
const RESERVED_WORDS = new Set(['true', 'false', 'null', 'and', 'or', 'in', 'function']);

const WHOLE = /^\$([a-z]+)((?:\.(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]+`))*)$/;
const SEGMENT = /\.(?:([A-Za-z_][A-Za-z0-9_]*)|`([^`]+)`)/g;

export interface PlainPath {
  binding: BindingName;
  segments: string[];
}

/** The binding and field names of a plain path, or `undefined` when the text is anything else. */
export function parsePlainPath(expression: string): PlainPath | undefined {
  const whole = WHOLE.exec(expression);
  const [, binding = '', rest = ''] = whole ?? [];
  if (!whole || !Object.hasOwn(BINDINGS, binding)) return undefined;
  const segments: string[] = [];
  for (const [, name, quoted = ''] of rest.matchAll(SEGMENT)) {
    if (name !== undefined && RESERVED_WORDS.has(name)) return undefined;
    segments.push(name ?? quoted);
  }
  return { binding: binding as BindingName, segments };
}

export type PlainPathOutcome = { handled: true; value: unknown } | { handled: false };

const NOT_HANDLED: PlainPathOutcome = { handled: false };

/**
 * Walks a plain path through the scope. The value is the scope's own object (not a copy): callers
 * treat step outputs as read-only, as they do everywhere else.
 */
export function resolvePlainPath(path: PlainPath, scope: ExpressionScope): PlainPathOutcome {
  let current: unknown = BINDINGS[path.binding](scope);
  for (const segment of path.segments) {
    if (Array.isArray(current)) return NOT_HANDLED;
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return { handled: true, value: undefined };
    current = (current as Record<string, unknown>)[segment];
  }
  // The worker would hand back a JSON copy; a value that JSON would change (a Date, a Map, NaN,
  // a function) is left to it, so both paths give the same answer.
  return isJsonLike(current) ? { handled: true, value: current } : NOT_HANDLED;
}

/** JSON's own kinds at the top level (inside, step outputs are JSON already: they were stored so). */
function isJsonLike(value: unknown): boolean {
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
