/**
 * The sandbox's bounds, in one place: how much of a request body is read (before it is buffered),
 * how deep a JSON body may nest, and how large the stores that grow with use may become.
 */

/** Identity (`/login/…`) and hook (`/_sandbox/…`) bodies are small forms and JSON objects. */
export const SMALL_BODY_BYTES = 64 * 1024;

/** Deeper JSON is refused with a 400 before it reaches code that walks it recursively. */
export const MAX_JSON_DEPTH = 64;

/** Rows one `POST /_sandbox/bulk` may create, and rows a table may hold through it. */
export const MAX_BULK_ROWS = 100_000;
export const MAX_BULK_TABLE_ROWS = 250_000;

/** Refresh grants and authorization codes kept per organization (oldest dropped first once expired ones are gone). */
export const MAX_REFRESH_GRANTS = 10_000;
export const MAX_AUTH_CODES = 1_000;

/** Deleted-row tombstones kept per table for change tracking (older delta tokens then ask for a full sync). */
export const MAX_TOMBSTONES_PER_TABLE = 50_000;

/** Request-log entries and their total size. */
export const MAX_LOG_ENTRIES = 2_000;
export const MAX_LOG_BYTES = 8 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body exceeds the maximum allowed size of ${limit} bytes.`);
  }
}

/** The declared Content-Length, when it is a number. */
export function declaredLength(headers: { get(name: string): string | null }): number | null {
  const v = headers.get('content-length');
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * Reads a Web body stream, stopping (and cancelling the stream) as soon as it passes `limit` bytes,
 * so an oversized or endless body is never buffered whole.
 */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The nesting depth of a JSON text (brackets outside strings), found in one linear scan without
 * parsing, so a body nested thousands deep is a 400 and never a stack overflow.
 */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}
