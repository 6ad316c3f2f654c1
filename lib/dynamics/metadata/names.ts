/**
 * The only names that may appear in a metadata path or a query built from metadata: Dataverse
 * logical names are lower-case letters, digits and underscores (the client's OData name rule). Anything
 * else coming back from a server or a user is refused, so it can never become query text.
 */
export const LOGICAL_NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;

export class InvalidNameError extends Error {
  constructor(
    readonly kind: string,
    readonly value: string,
  ) {
    super(`"${value.slice(0, 80)}" is not a valid ${kind} name: use lower-case letters, digits and underscores.`);
    this.name = 'InvalidNameError';
  }
}

/** @example isLogicalName('new_project') // true; isLogicalName("x') or (1 eq 1") // false */
export function isLogicalName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 128 && LOGICAL_NAME_PATTERN.test(value);
}

/** @example assertLogicalName('account', 'table') // 'account' */
export function assertLogicalName(value: string, kind = 'table'): string {
  if (!isLogicalName(value)) throw new InvalidNameError(kind, value);
  return value;
}
