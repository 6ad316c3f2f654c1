import { describe, expect, it } from 'vitest';
import { accountHealth } from './account-health';

const now = Date.parse('2026-11-28T12:00:00Z');
const daysAgo = (n: number) => new Date(now - n * 86_400_000).toISOString();

describe('accountHealth', () => {
  it('reports a connected account', () => {
    expect(accountHealth({ status: 'connected', statusReason: null, method: 'password' }, now)).toEqual({
      health: 'connected',
      reason: null,
    });
  });
  it('reports an account that needs reconnecting with its reason', () => {
    expect(accountHealth({ status: 'needs_reconnect', statusReason: 'The refresh token was revoked.', method: 'auth_code' }, now)).toEqual({
      health: 'needs_reconnect',
      reason: 'The refresh token was revoked.',
    });
  });
  it('reports an unchecked account', () => {
    expect(accountHealth({ status: 'unverified', statusReason: null, method: 'password' }, now).health).toBe('unverified');
  });
  it('warns two weeks before the client secret expires, and says when it has expired', () => {
    const base = { status: 'connected', statusReason: null, method: 'password' };
    expect(accountHealth({ ...base, clientSecretExpiresOn: '2027-06-30' }, now).health).toBe('connected');
    const soon = accountHealth({ ...base, clientSecretExpiresOn: '2026-12-05' }, now);
    expect(soon).toEqual({ health: 'expiring_soon', reason: expect.stringContaining('expires on 2026-12-05 (in 7 days)') });
    const gone = accountHealth({ ...base, clientSecretExpiresOn: '2026-11-27' }, now);
    expect(gone).toEqual({ health: 'needs_reconnect', reason: expect.stringContaining('expired on 2026-11-27') });
  });
  it('warns when a refresh token nears the 90-day inactivity limit, not before', () => {
    expect(
      accountHealth({ status: 'connected', statusReason: null, method: 'basic_oauth', refreshTokenObtainedAt: daysAgo(70) }, now).health,
    ).toBe('connected');
    const warned = accountHealth(
      { status: 'connected', statusReason: null, method: 'basic_oauth', refreshTokenObtainedAt: daysAgo(85) },
      now,
    );
    expect(warned.health).toBe('expiring_soon');
    expect(warned.reason).toContain('about 5 days');
  });
});
