/**
 * Turns a Dataverse HTTP error answer into a DataverseError. Envelope: `{"error":{"code","message"}}`
 * (older payloads use `{"Message"}`); 401 bodies are often empty.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 */
import { DataverseError } from './dataverse-error';
import { parseRetryAfter } from '../retry/retry-after';

export function errorFromResponse(status: number, headers: Headers, bodyText: string, now: number): DataverseError {
  let code = '';
  let message = '';
  try {
    const parsed = JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown }; Message?: unknown };
    if (parsed.error && typeof parsed.error === 'object') {
      code = typeof parsed.error.code === 'string' ? parsed.error.code : '';
      message = typeof parsed.error.message === 'string' ? parsed.error.message : '';
    } else if (typeof parsed.Message === 'string') {
      message = parsed.Message;
    }
  } catch {
    message = bodyText.slice(0, 500);
  }
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now);
  return new DataverseError({
    status,
    code: code === '0x0' ? code : code.toLowerCase(),
    serviceMessage: message,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}
