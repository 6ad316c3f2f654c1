/**
 * What services, the connector and the accounts use cases throw when a request cannot be carried
 * out. They say what went wrong in domain terms (`kind`), never which HTTP status that is: only
 * `lib/server` turns a kind into a status, so the flow engine can reuse the same code without HTTP.
 */
export type DomainErrorKind =
  /** The input is wrong: a missing field, a malformed value, a setting that is turned off. */
  | 'invalid'
  /** The thing asked for does not exist, or belongs to someone else. */
  | 'not_found'
  /** The request clashes with the current state: a name taken, an account in use, needs reconnecting. */
  | 'conflict'
  /** Well-formed, but the other side refused it (Microsoft turned the credentials down). */
  | 'unprocessable'
  /** Dynamics or Microsoft answered with a failure or something we cannot read. */
  | 'upstream'
  /** Dynamics or Microsoft is busy or unreachable for now; trying again later may work. */
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable, machine-readable: clients branch on it. */
    readonly code: string,
    message: string,
    /** Secret-free extra facts, such as the form field a failure points at. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;

/** @example throw invalid('sandbox_disabled', 'The built-in sandbox is turned off.') */
export const invalid = (code: string, message: string, details?: unknown) => new DomainError('invalid', code, message, details);
/** @example throw notFound('The account') // "The account was not found." */
export const notFound = (what: string) => new DomainError('not_found', 'not_found', `${what} was not found.`);
export const conflict = (code: string, message: string, details?: unknown) => new DomainError('conflict', code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) => new DomainError('unprocessable', code, message, details);
export const upstream = (code: string, message: string, details?: unknown) => new DomainError('upstream', code, message, details);
