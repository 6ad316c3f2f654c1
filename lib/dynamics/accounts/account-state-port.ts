import type { Db } from '@/lib/db/database';
import { findAccount, readAccountSecrets, updateAccount } from '@/lib/db/repositories/accounts';
import type { AccountStatePort, TokenSet } from '@/lib/dynamics/client/types';

/**
 * Persists what the client learns while it works: rotated tokens are saved (encrypted) at once,
 * because the old refresh token may already be invalid; a revoked grant marks the account.
 */
export function dbAccountStatePort(db: Db, ownerId: string): AccountStatePort {
  return {
    async saveTokens(accountId: string, tokens: TokenSet) {
      const [account, secrets] = await Promise.all([findAccount(db, ownerId, accountId), readAccountSecrets(db, ownerId, accountId)]);
      if (!account || !secrets) return;
      const rotated = tokens.refreshToken !== undefined && tokens.refreshToken !== secrets.refreshToken;
      await updateAccount(db, ownerId, accountId, {
        secrets: {
          ...secrets,
          accessToken: tokens.accessToken,
          accessTokenExpiresAt: tokens.expiresAt,
          ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
        },
        ...(rotated ? { config: { ...account.config, refreshTokenObtainedAt: new Date().toISOString() } } : {}),
        ...(account.status !== 'connected' ? { status: 'connected', statusReason: null } : {}),
      });
    },
    async markNeedsReconnect(accountId: string, reason: string) {
      await updateAccount(db, ownerId, accountId, { status: 'needs_reconnect', statusReason: reason });
    },
  };
}
