/** A row would break a unique rule (e.g. an email or account name already taken). */
export class DuplicateError extends Error {
  override readonly name = 'DuplicateError';
  constructor(
    message: string,
    /** Which rule was broken, e.g. `users.email`. */
    readonly constraint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An optimistic-concurrency check failed: someone else saved first. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True for a unique/primary-key violation from better-sqlite3 or pg. */
export function isUniqueViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True for a foreign-key violation from better-sqlite3 or pg. */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
