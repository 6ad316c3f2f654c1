/**
 * The one error envelope of the HTTP API, as the server writes it and the browser reads it:
 * `{ "error": { "code", "message", "details"? } }`.
 */
export interface ErrorBody {
  error: ErrorInfo;
}

export interface ErrorInfo {
  /** Stable, machine-readable. */
  code: string;
  /** Plain words for people; never a secret or a stack trace. */
  message: string;
  details?: unknown;
}
