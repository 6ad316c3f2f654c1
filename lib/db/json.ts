import type { JsonText } from './schema';

/** Serialises a value for a `*_json` column; `undefined` and `null` become SQL NULL. */
export function toJson(value: unknown): JsonText | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Parses a `*_json` column; SQL NULL becomes `null`. Callers validate the shape (zod). */
export function fromJson(text: JsonText | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}
