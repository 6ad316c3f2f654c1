/**
 * Access tokens for one account: cached in memory, refreshed shortly before expiry (2 min skew),
 * ONE refresh at a time per account however many calls wait (single-flight), rotated refresh tokens
 * saved through the `AccountStatePort` before anyone uses the new access token, and an
 * `invalid_grant` (or another credential error) marks the account "needs reconnecting" once and
 * fails fast afterwards — it never loops.
 */
import { decodeJwt } from 'jose';
import { processSingleton } from '../../../process-singleton';
import { systemClock, type Clock } from '../clock';
import type { DataverseError } from '../errors/dataverse-error';
import type { Transport } from '../transport/http-transport';
import type { AccountConnection, AccountStatePort, TokenSet } from '../types';
import { scopeFor, type ScopePermission } from './authority';
import { requestTokens, type TokenClient } from './token-endpoint';
import { TokenError } from './token-error';

export interface TokenProviderOptions {
  transport: Transport;
  clock?: Clock;
  /** Refresh this long before expiry (default 120 000 ms). */
  skewMs?: number;
  timeoutMs?: number;
  scopePermission?: ScopePermission;
}

function expiryOf(accessToken: string | undefined, expiresAt: string | undefined): number {
  if (!accessToken) return 0;
  if (expiresAt) {
    const t = Date.parse(expiresAt);
    if (!Number.isNaN(t)) return t;
  }
  try {
    const exp = decodeJwt(accessToken).exp;
    return typeof exp === 'number' ? exp * 1000 : 0;
  } catch {
    return 0; // unknown expiry: refresh before first use
  }
}

export class TokenProvider {
  private accessToken: string | undefined;
  private expiresAt: number;
  private refreshToken: string | undefined;
  private inflight: Promise<string> | null = null;
  private broken: DataverseError | null = null;
  /** Refresh tokens this provider has used or received (to recognise the same credential lineage). */
  readonly seenRefreshTokens = new Set<string>();
  private readonly clock: Clock;
  private readonly skewMs: number;

  constructor(
    readonly account: AccountConnection,
    private readonly port: AccountStatePort,
    private readonly opts: TokenProviderOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.skewMs = opts.skewMs ?? 120_000;
    this.accessToken = account.secrets.accessToken;
    this.expiresAt = expiryOf(account.secrets.accessToken, account.secrets.accessTokenExpiresAt);
    this.refreshToken = account.secrets.refreshToken;
    if (this.refreshToken) this.seenRefreshTokens.add(this.refreshToken);
  }

  /** True once a credential error marked the account as needing reconnection. */
  get needsReconnect(): boolean {
    return this.broken !== null;
  }

  /** A valid access token, from the cache or after one shared refresh. */
  async getAccessToken(signal?: AbortSignal): Promise<string> {
    if (this.broken) throw this.broken;
    if (this.accessToken && this.clock.now() < this.expiresAt - this.skewMs) return this.accessToken;
    // The shared refresh runs under its own timeout only: one waiter giving up must not cancel it
    // for the others (and lose a refresh token the identity endpoint has already rotated).
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = null;
    });
    return signal ? raceAbort(this.inflight, signal) : this.inflight;
  }

  /** Forgets an access token Dataverse refused (401), so the next call refreshes. */
  invalidate(accessToken: string): void {
    if (this.accessToken === accessToken) this.expiresAt = 0;
  }

  private tokenClient(signal?: AbortSignal): TokenClient {
    return {
      identityEndpoint: this.account.identityEndpoint,
      clientId: this.account.clientId,
      ...(this.account.secrets.clientSecret ? { clientSecret: this.account.secrets.clientSecret } : {}),
      transport: this.opts.transport,
      ...(this.opts.timeoutMs ? { timeoutMs: this.opts.timeoutMs } : {}),
      now: () => this.clock.now(),
      ...(signal ? { signal } : {}),
    };
  }

  private async obtain(signal?: AbortSignal): Promise<TokenSet> {
    const scope = scopeFor(this.account.serviceUrl, this.opts.scopePermission);
    const tc = this.tokenClient(signal);
    const { username, password } = this.account.secrets;
    if (this.refreshToken) {
      try {
        // A refresh answer carries a new refresh token; the old one must no longer be used.
        // Learn: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
        return await requestTokens(tc, { type: 'refresh_token', refreshToken: this.refreshToken, scope });
      } catch (err) {
        // With a stored password a dead refresh token is not fatal: sign in again below.
        if (!(err instanceof TokenError && err.reconnect && this.account.method === 'password' && username && password)) throw err;
        this.refreshToken = undefined;
      }
    }
    if (this.account.method === 'password' && username && password) {
      // Learn: https://learn.microsoft.com/entra/identity-platform/v2-oauth-ropc
      return requestTokens(tc, { type: 'password', username, password, scope });
    }
    throw new TokenError({
      status: 0,
      error: 'invalid_grant',
      description: '',
      words: 'There is no saved sign-in (refresh token) for this account. Reconnect the account.',
      reconnect: true,
      transient: false,
    });
  }

  private async refresh(signal?: AbortSignal): Promise<string> {
    let tokens: TokenSet;
    try {
      tokens = await this.obtain(signal);
    } catch (err) {
      if (err instanceof TokenError && err.reconnect) {
        this.broken = err;
        this.accessToken = undefined;
        await this.port.markNeedsReconnect(this.account.id, err.explanation);
      }
      throw err;
    }
    const rotated = tokens.refreshToken ?? this.refreshToken;
    const saved: TokenSet = { accessToken: tokens.accessToken, expiresAt: tokens.expiresAt, ...(rotated ? { refreshToken: rotated } : {}) };
    // Save before use: the old refresh token is already retired by the identity platform.
    await this.port.saveTokens(this.account.id, saved);
    this.accessToken = tokens.accessToken;
    this.expiresAt = Date.parse(tokens.expiresAt);
    this.refreshToken = rotated;
    if (rotated) this.seenRefreshTokens.add(rotated);
    return tokens.accessToken;
  }
}

/** Resolves or rejects with `promise`, or rejects as soon as `signal` aborts (the promise goes on). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

const providers = processSingleton('token-providers', () => new Map<string, { key: string; provider: TokenProvider }>());

function credentialKey(a: AccountConnection): string {
  return JSON.stringify([
    a.method,
    a.serviceUrl,
    a.identityEndpoint,
    a.clientId,
    a.secrets.clientSecret ?? '',
    a.secrets.username ?? '',
    a.secrets.password ?? '',
  ]);
}

/**
 * The process-wide provider of an account (shared by every client of it, so refreshes are
 * single-flight per account). A new provider replaces the old one when the account's credentials
 * change, or when it brings a refresh token this provider never saw (re-entered tokens).
 */
export function tokenProviderFor(account: AccountConnection, port: AccountStatePort, opts: TokenProviderOptions): TokenProvider {
  const key = credentialKey(account);
  const existing = providers.get(account.id);
  const sameLineage = !account.secrets.refreshToken || existing?.provider.seenRefreshTokens.has(account.secrets.refreshToken);
  // A broken provider is kept too: the same dead credentials must not hit the token endpoint again.
  if (existing && existing.key === key && sameLineage) return existing.provider;
  const provider = new TokenProvider(account, port, opts);
  providers.set(account.id, { key, provider });
  return provider;
}

/** Drops an account's cached tokens (after its credentials are updated or it is removed). */
export function forgetTokenProvider(accountId: string): void {
  providers.delete(accountId);
}
