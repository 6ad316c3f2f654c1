import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, newTokenLifetime } from './api-token-expiry';

const now = Date.parse('2026-01-01T00:00:00.000Z');
const days = (n: number) => new Date(now + n * 86_400_000).toISOString();

describe('newTokenLifetime', () => {
  it('gives every token an expiry: the default, or what was asked up to the maximum', () => {
    expect(newTokenLifetime(undefined, { kind: 'session' }, now)).toEqual({ expiresAt: days(DEFAULT_TOKEN_DAYS), parentTokenId: null });
    expect(newTokenLifetime(30, { kind: 'session' }, now).expiresAt).toBe(days(30));
    expect(newTokenLifetime(10_000, { kind: 'session' }, now).expiresAt).toBe(days(MAX_TOKEN_DAYS));
  });

  it('a token minted with a token cannot outlive it, and hangs from it', () => {
    const parent = { kind: 'token' as const, tokenId: 'P', expiresAt: days(2) };
    expect(newTokenLifetime(90, parent, now)).toEqual({ expiresAt: days(2), parentTokenId: 'P' });
    expect(newTokenLifetime(1, parent, now).expiresAt).toBe(days(1));
    expect(newTokenLifetime(undefined, { kind: 'token', tokenId: 'L', expiresAt: null }, now).expiresAt).toBe(days(DEFAULT_TOKEN_DAYS));
  });
});
