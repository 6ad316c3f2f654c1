/**
 * The values of one connection attempt, merged from where they come from: what is stored (when
 * updating: anything left empty keeps what is stored), what was typed, the sandbox's own values,
 * and tokens generated earlier. The result is checked against the description afterwards.
 */
import type { TokenSet } from '../client/types';
import { authMethod } from '../connector/auth/connection-methods';
import { fieldEntries, SECRET_PLACEHOLDER } from '../connector/auth/define-connection';

export interface ValueSources {
  method: string;
  /** What the request carried, by field name. */
  typed: Readonly<Record<string, unknown>>;
  /** The stored account's values, when updating with the same method (or its plain settings only, when switching). */
  stored?: Readonly<Record<string, string>>;
  /** The sandbox's values, when the request asked for the sandbox. */
  sandbox?: Readonly<Record<string, string>>;
  /** Tokens obtained instead of typed (generated, or from the sandbox). */
  tokens?: Pick<TokenSet, 'accessToken' | 'refreshToken'>;
}

/** @example resolveValues({ method: 'password', typed: { password: 'p' }, stored }) // stored values with the new password */
export function resolveValues(sources: ValueSources): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, field] of fieldEntries(authMethod(sources.method))) {
    const typed = sources.typed[name];
    const given = typeof typed === 'string' && typed !== SECRET_PLACEHOLDER ? typed : undefined;
    let value = sources.stored?.[name];
    // An empty secret keeps the stored one; an empty setting clears it.
    if (given !== undefined && (given.trim() !== '' || !field.secret)) value = given.trim() === '' ? undefined : given;
    if (sources.sandbox?.[name] !== undefined) value = sources.sandbox[name];
    const obtained = field.fromTokens ? sources.tokens?.[field.fromTokens] : undefined;
    if (obtained) value = obtained;
    if (value !== undefined) values[name] = value;
  }
  return values;
}
