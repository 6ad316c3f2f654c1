/**
 * Refresh tokens and authorization codes. Refresh tokens rotate (each redemption returns a new one
 * and retires the old, which clients should discard); they expire after a period of inactivity and
 * can be revoked through the test hooks. Codes are single-use and short-lived (about ten minutes).
 * Persisted with the org so connected accounts survive restarts.
 *
 * Only a SHA-256 hash of each refresh token is kept (in memory and on disk): the app keeps the
 * tokens themselves encrypted, and a copy of the sandbox's folder must not hand them out in plain
 * text. Both stores are bounded: expired, retired and revoked grants go first, then the oldest.
 *
 * Learn: https://learn.microsoft.com/entra/identity-platform/refresh-tokens
 *        https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
import { createHash } from 'node:crypto';
import { MAX_AUTH_CODES, MAX_REFRESH_GRANTS } from '../util/limits';

export interface RefreshGrant {
  clientId: string;
  objectId: string;
  scope: string;
  audience: string;
  issuedAt: number;
  lastUsedAt: number;
  /** retired by rotation (reuse is rejected) */
  redeemed?: boolean;
  revokedAt?: number;
}

export interface CodeGrant {
  clientId: string;
  objectId: string;
  redirectUri: string;
  scope: string;
  audience: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  nonce?: string;
  expiresAt: number;
  redeemed?: boolean;
}

export interface SerializedGrants {
  /** token hash → grant */
  refresh: Record<string, RefreshGrant>;
}

function opaque(prefix: string): string {
  const bytes = new Uint8Array(48);
  crypto.getRandomValues(bytes);
  return prefix + Buffer.from(bytes).toString('base64url');
}

const REFRESH_PREFIX = '0.AX0A';
export const tokenHash = (token: string): string => `sha256:${createHash('sha256').update(token).digest('base64url')}`;

export interface GrantLimits {
  maxRefresh: number;
  maxCodes: number;
  /** idle lifetime of a refresh token, in ms (expired grants are pruned first) */
  refreshLifetimeMs: () => number;
}

export class GrantStore {
  /** token hash → grant */
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly codes = new Map<string, CodeGrant>();
  /** Called with the hashes whose grant changed (undefined: deleted), for incremental persistence. */
  onChange: ((changes: Map<string, RefreshGrant | undefined>) => void) | null = null;
  private readonly limits: GrantLimits;

  constructor(saved?: SerializedGrants, limits: Partial<GrantLimits> = {}) {
    this.limits = {
      maxRefresh: limits.maxRefresh ?? MAX_REFRESH_GRANTS,
      maxCodes: limits.maxCodes ?? MAX_AUTH_CODES,
      refreshLifetimeMs: limits.refreshLifetimeMs ?? (() => 90 * 86_400_000),
    };
    // Snapshots written before tokens were hashed keyed grants by the token itself.
    for (const [k, v] of Object.entries(saved?.refresh ?? {})) this.refresh.set(k.startsWith(REFRESH_PREFIX) ? tokenHash(k) : k, v);
  }

  get refreshCount(): number {
    return this.refresh.size;
  }

  get codeCount(): number {
    return this.codes.size;
  }

  findRefresh(token: string): RefreshGrant | undefined {
    return this.refresh.get(tokenHash(token));
  }

  findCode(code: string): CodeGrant | undefined {
    return this.codes.get(code);
  }

  issueRefresh(grant: Omit<RefreshGrant, 'issuedAt' | 'lastUsedAt'>, now = Date.now()): string {
    const token = opaque(REFRESH_PREFIX);
    const hash = tokenHash(token);
    const stored = { ...grant, issuedAt: now, lastUsedAt: now };
    this.refresh.set(hash, stored);
    const changes = this.prune(now);
    changes.set(hash, stored);
    this.onChange?.(changes);
    return token;
  }

  issueCode(grant: CodeGrant, now = Date.now()): string {
    const code = opaque('1.AX0A');
    this.codes.set(code, grant);
    if (this.codes.size > this.limits.maxCodes) {
      for (const [k, c] of this.codes) if (c.expiresAt < now || c.redeemed) this.codes.delete(k);
      // Still full: the oldest codes go (Map order is issue order).
      for (const k of this.codes.keys()) {
        if (this.codes.size <= this.limits.maxCodes) break;
        this.codes.delete(k);
      }
    }
    return code;
  }

  retire(token: string): void {
    const hash = tokenHash(token);
    const g = this.refresh.get(hash);
    if (g) {
      g.redeemed = true;
      this.onChange?.(new Map([[hash, g]]));
    }
  }

  /** Revoke one refresh token, or all of a user's (objectId) — like a password reset. */
  revoke(filter: { refreshToken?: string; objectId?: string }, now = Date.now()): number {
    const wanted = filter.refreshToken ? tokenHash(filter.refreshToken) : undefined;
    const changes = new Map<string, RefreshGrant | undefined>();
    for (const [k, g] of this.refresh) {
      if ((wanted && k === wanted) || (filter.objectId && g.objectId === filter.objectId) || (!filter.refreshToken && !filter.objectId)) {
        if (g.revokedAt === undefined) {
          g.revokedAt = now;
          changes.set(k, g);
        }
      }
    }
    if (changes.size) this.onChange?.(changes);
    return changes.size;
  }

  /**
   * Keeps the store under its cap: retired, revoked and expired grants go first (they can never be
   * redeemed again), then the oldest issued (Map order is issue order).
   */
  private prune(now: number): Map<string, RefreshGrant | undefined> {
    const removed = new Map<string, RefreshGrant | undefined>();
    if (this.refresh.size <= this.limits.maxRefresh) return removed;
    const lifetime = this.limits.refreshLifetimeMs();
    for (const [k, g] of this.refresh) {
      if (g.redeemed || g.revokedAt !== undefined || now - g.lastUsedAt >= lifetime) {
        this.refresh.delete(k);
        removed.set(k, undefined);
      }
    }
    for (const k of this.refresh.keys()) {
      if (this.refresh.size <= this.limits.maxRefresh) break;
      this.refresh.delete(k);
      removed.set(k, undefined);
    }
    return removed;
  }

  serialize(): SerializedGrants {
    return { refresh: Object.fromEntries(this.refresh) };
  }

  entries(): IterableIterator<[string, RefreshGrant]> {
    return this.refresh.entries();
  }
}
