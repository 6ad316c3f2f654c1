import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { seal, unseal } from './sealed';

beforeAll(() => setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') } })));
afterAll(() => setProcessKeyring(undefined));

describe('sealed values', () => {
  const now = 1_700_000_000_000;

  it('round-trips for the same purpose and owner before expiry', () => {
    const sealed = seal('oauth', 'user-a', 60, { verifier: 'v' }, now);
    expect(sealed).not.toContain('verifier');
    expect(unseal('oauth', 'user-a', sealed, now + 59_000)).toEqual({ ok: true, data: { verifier: 'v' } });
  });

  it('refuses another owner, another purpose, expiry and tampering', () => {
    const sealed = seal('oauth', 'user-a', 60, { x: 1 }, now);
    expect(unseal('oauth', 'user-b', sealed, now)).toEqual({ ok: false, reason: 'wrong_owner' });
    expect(unseal('tokens', 'user-a', sealed, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(unseal('oauth', 'user-a', sealed, now + 61_000)).toEqual({ ok: false, reason: 'expired' });
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    expect(unseal('oauth', 'user-a', `${sealed.slice(0, -2)}${last}${sealed.slice(-1)}`, now).ok).toBe(false);
    expect(unseal('oauth', 'user-a', 'garbage', now)).toEqual({ ok: false, reason: 'invalid' });
  });
});
