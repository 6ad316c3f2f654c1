/** Past this many characters a recorded value is cut for display: a 5 MB output would freeze the page. */
export const JSON_PREVIEW_LIMIT = 20_000;

export interface JsonPreview {
  /** Pretty-printed JSON (or the text itself for a string), cut at the limit. */
  text: string;
  /** How many characters the full text has, when it was cut. */
  fullLength?: number;
  /** Nothing was recorded (undefined or null). */
  empty: boolean;
}

/** A recorded input, output or error as readable text, for a collapsible block on the run page. */
export function jsonPreview(value: unknown, limit = JSON_PREVIEW_LIMIT): JsonPreview {
  if (value === undefined || value === null) return { text: '', empty: true };
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
  } catch {
    text = String(value);
  }
  if (text.length <= limit) return { text, empty: false };
  return { text: text.slice(0, limit), fullLength: text.length, empty: false };
}
