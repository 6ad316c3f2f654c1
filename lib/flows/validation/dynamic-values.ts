import { isExpression, isReference } from '../model/input';

/** Stands in for an expression or a reference: its value is only known at run time, so nothing about it is checked here. */
export const DYNAMIC: unique symbol = Symbol('dynamic');

export const isDynamic = (value: unknown): boolean => isExpression(value) || isReference(value);

const isLiteralWrapper = (value: unknown): value is { literal: unknown } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && 'literal' in value;

/**
 * The literal-only view of an input: expressions and references become DYNAMIC (their paths are
 * collected, so what a schema says about them can be set aside) and `{ "literal": x }` becomes x.
 */
export function literalView(
  value: unknown,
  path: PropertyKey[] = [],
  dynamicPaths: PropertyKey[][] = [],
): { value: unknown; dynamicPaths: PropertyKey[][] } {
  const visit = (v: unknown, p: PropertyKey[]): unknown => {
    if (isDynamic(v)) {
      dynamicPaths.push(p);
      return DYNAMIC;
    }
    if (isLiteralWrapper(v)) return v.literal;
    if (Array.isArray(v)) return v.map((item, i) => visit(item, [...p, i]));
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x, [...p, k])]));
    return v;
  };
  return { value: visit(value, path), dynamicPaths };
}

/** Whether `prefix` is `path` or one of its ancestors. */
export const startsWith = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) =>
  prefix.length <= path.length && prefix.every((k, i) => String(k) === String(path[i]));

/** The value at a path of a plain JSON value. */
export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[String(k)];
  }
  return v;
}
