import { ApiError } from './api-error';

/** Documented in the README: request bodies above this size are refused with 413. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function maxBodyBytes(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.API_MAX_BODY_BYTES);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_BODY_BYTES;
}

/**
 * Reads a JSON body with a hard size limit, streaming so a huge body is cut off early instead of
 * being buffered whole. Empty bodies read as `undefined`.
 */
export async function readJsonBody(req: Request, limit = maxBodyBytes()): Promise<unknown> {
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!req.body) return undefined;
  const contentType = req.headers.get('content-type') ?? '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (size === 0) return undefined;
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'malformed_json', 'The request body is not valid JSON.');
  }
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'payload_too_large', `The request body is larger than the limit of ${limit} bytes.`);
}
