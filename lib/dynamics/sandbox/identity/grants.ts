/**
 * Refresh tokens and authorization codes. Refresh tokens rotate (each redemption returns a new one
 * and retires the old, which clients should discard); they expire after a period of inactivity and
 * can be revoked through the test hooks. Codes are single-use and short-lived (about ten minutes).
 * Persisted with the org so connected accounts survive restarts.
 *
 * Learn: https://learn.microsoft.com/entra/identity-platform/refresh-tokens
 *        https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
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
  refresh: Record<string, RefreshGrant>;
}

function opaque(prefix: string): string {
  const bytes = new Uint8Array(48);
  crypto.getRandomValues(bytes);
  return prefix + Buffer.from(bytes).toString('base64url');
}

export class GrantStore {
  readonly refresh = new Map<string, RefreshGrant>();
  readonly codes = new Map<string, CodeGrant>();
  onChange: (() => void) | null = null;

  constructor(saved?: SerializedGrants) {
    for (const [k, v] of Object.entries(saved?.refresh ?? {})) this.refresh.set(k, v);
  }

  issueRefresh(grant: Omit<RefreshGrant, 'issuedAt' | 'lastUsedAt'>, now = Date.now()): string {
    const token = opaque('0.AX0A');
    this.refresh.set(token, { ...grant, issuedAt: now, lastUsedAt: now });
    this.prune(now);
    this.onChange?.();
    return token;
  }

  issueCode(grant: CodeGrant): string {
    const code = opaque('1.AX0A');
    this.codes.set(code, grant);
    return code;
  }

  retire(token: string): void {
    const g = this.refresh.get(token);
    if (g) {
      g.redeemed = true;
      this.onChange?.();
    }
  }

  /** Revoke one refresh token, or all of a user's (objectId) — like a password reset. */
  revoke(filter: { refreshToken?: string; objectId?: string }, now = Date.now()): number {
    let n = 0;
    for (const [k, g] of this.refresh) {
      if (
        (filter.refreshToken && k === filter.refreshToken) ||
        (filter.objectId && g.objectId === filter.objectId) ||
        (!filter.refreshToken && !filter.objectId)
      ) {
        if (g.revokedAt === undefined) {
          g.revokedAt = now;
          n++;
        }
      }
    }
    if (n) this.onChange?.();
    return n;
  }

  private prune(now: number): void {
    if (this.refresh.size < 10_000) return;
    // Keep the store bounded: drop retired tokens older than a day.
    for (const [k, g] of this.refresh) if (g.redeemed && now - g.lastUsedAt > 86_400_000) this.refresh.delete(k);
    for (const [k, c] of this.codes) if (c.expiresAt < now) this.codes.delete(k);
  }

  serialize(): SerializedGrants {
    return { refresh: Object.fromEntries(this.refresh) };
  }
}
