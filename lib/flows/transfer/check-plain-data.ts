/** Keys that could reach an object's prototype when data is merged or copied into an object later on. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper than any flow document gets (a condition inside an input of a step is about 12 levels). */
export const MAX_DEPTH = 64;

export type PlainDataProblem =
  | { kind: 'prototype_key'; path: string; key: string }
  | { kind: 'too_deep'; path: string }
  | { kind: 'not_json'; path: string; what: string }
  | { kind: 'too_large' };

/**
 * Checks that a parsed value is plain JSON data a flow document may hold: objects, arrays, strings,
 * finite numbers, booleans and null; no prototype keys; at most `MAX_DEPTH` levels; at most
 * `maxSize` (about the length of its JSON). Iterative, so hostile nesting cannot exhaust the stack,
 * and it stops at the first problem. The size counts every visit, so data that YAML aliases repeat
 * is counted as often as it appears.
 */
export function checkPlainData(value: unknown, maxSize: number): PlainDataProblem | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  let size = 0;
  while (stack.length) {
    const { value: current, path, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) return { kind: 'too_deep', path };
    if (current === null || typeof current === 'boolean') {
      size += 5;
    } else if (typeof current === 'string') {
      size += current.length + 2;
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) return { kind: 'not_json', path, what: 'a number that is not finite (.inf or .nan)' };
      size += 8;
    } else if (Array.isArray(current)) {
      size += 2 + current.length;
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: join(path, String(i)), depth: depth + 1 });
    } else if (typeof current === 'object' && Object.getPrototypeOf(current) === Object.prototype) {
      const keys = Object.keys(current);
      size += 2;
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (PROTOTYPE_KEYS.has(key)) return { kind: 'prototype_key', path: join(path, key), key };
        size += key.length + 4;
        stack.push({ value: (current as Record<string, unknown>)[key], path: join(path, key), depth: depth + 1 });
      }
    } else {
      return { kind: 'not_json', path, what: describe(current) };
    }
    if (size > maxSize) return { kind: 'too_large' };
  }
  return null;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return 'binary data';
  if (value instanceof Date) return 'a timestamp';
  if (value instanceof Map || value instanceof Set) return 'a map with non-text keys';
  return `a value of type ${typeof value}`;
}
