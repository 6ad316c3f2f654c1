/** Token endpoint failures as DataverseErrors, with whether the account needs reconnecting. */
import { DataverseError } from '../errors/dataverse-error';
import { describeTokenError } from './aadsts';

export class TokenError extends DataverseError {
  /** True when retrying with the same credentials can never succeed. */
  readonly reconnect: boolean;
  readonly aadsts?: number;

  constructor(init: {
    status: number;
    error: string;
    description: string;
    words: string;
    reconnect: boolean;
    transient: boolean;
    aadsts?: number;
  }) {
    super({ status: init.status, code: init.error, serviceMessage: init.description, explanation: init.words, transient: init.transient });
    this.name = 'TokenError';
    this.reconnect = init.reconnect;
    if (init.aadsts !== undefined) this.aadsts = init.aadsts;
  }
}

/** First line of `error_description` (Microsoft's text without trace and correlation ids). */
function firstLine(text: unknown): string {
  return typeof text === 'string' ? (text.split(/\r?\n/)[0] ?? '').trim() : '';
}

export function tokenErrorFromBody(status: number, body: Record<string, unknown>): TokenError {
  const meaning = describeTokenError(body);
  return new TokenError({
    status,
    error: typeof body.error === 'string' ? body.error : 'token_error',
    description: firstLine(body.error_description),
    words: meaning.words,
    reconnect: meaning.reconnect,
    transient: meaning.transient || status >= 500,
    ...(meaning.aadsts !== undefined ? { aadsts: meaning.aadsts } : {}),
  });
}
