/**
 * The one error type every Dataverse, token or transport failure becomes, so callers handle one
 * shape: status, code, a plain-words explanation, and whether retrying can help.
 * Messages never contain tokens or secrets: Microsoft's text is kept verbatim in `serviceMessage`
 * after redaction of anything token-shaped.
 */
import type { DataverseErrorInfo } from '../types';
import { DATAVERSE_CODES, HTTP_STATUSES, LOCAL_CODES, type ErrorMeaning } from './error-table';

export interface DataverseErrorInit {
  status: number;
  code: string;
  serviceMessage?: string;
  explanation?: string;
  transient?: boolean;
  /** Server-requested wait before retrying (429/503 `Retry-After`), in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const BEARER = /(bearer\s+)[^\s"',;]+/gi;

/** Removes JWTs and bearer values from text that may be shown or logged. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(JWT, '[redacted]').replace(BEARER, '$1[redacted]');
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

/** Looks up the meaning of a Dataverse code (case-insensitive), a local code, then the HTTP status. */
export function meaningOf(status: number, code: string): ErrorMeaning {
  const c = code.toLowerCase();
  return (
    DATAVERSE_CODES[c] ??
    LOCAL_CODES[c] ??
    HTTP_STATUSES[status] ?? {
      explanation: status ? `Dataverse answered with HTTP ${status}.` : 'The call to Dataverse failed.',
      transient: status >= 500,
    }
  );
}

/**
 * @example
 * try { await client.retrieve('accounts', { id }) } catch (e) {
 *   if (e instanceof DataverseError && e.transient) retryLater();
 * }
 */
export class DataverseError extends Error implements DataverseErrorInfo {
  readonly status: number;
  readonly code: string;
  readonly serviceMessage: string;
  readonly explanation: string;
  readonly transient: boolean;
  readonly retryAfterMs?: number;

  constructor(init: DataverseErrorInit) {
    const meaning = meaningOf(init.status, init.code);
    const serviceMessage = redact(init.serviceMessage ?? '');
    const explanation = init.explanation ?? meaning.explanation;
    const transient = init.transient ?? meaning.transient ?? false;
    const head = [init.status ? `HTTP ${init.status}` : '', init.code].filter(Boolean).join(' ');
    super(`${explanation}${serviceMessage ? ` (${head}: ${serviceMessage})` : head ? ` (${head})` : ''}`, { cause: init.cause });
    this.name = 'DataverseError';
    this.status = init.status;
    this.code = init.code;
    this.serviceMessage = serviceMessage;
    this.explanation = explanation;
    this.transient = transient;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  /** The plain data form (what APIs and run records store). */
  toJSON(): DataverseErrorInfo {
    return {
      status: this.status,
      code: this.code,
      serviceMessage: this.serviceMessage,
      explanation: this.explanation,
      transient: this.transient,
    };
  }

  static local(code: keyof typeof LOCAL_CODES | string, serviceMessage = '', cause?: unknown): DataverseError {
    return new DataverseError({ status: 0, code, serviceMessage, cause });
  }
}

export function isDataverseError(e: unknown): e is DataverseError {
  return e instanceof DataverseError;
}
