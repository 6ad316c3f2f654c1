import { describe, expect, it } from 'vitest';
import { connectErrorMessage, GENERIC_CONNECT_ERROR } from './connect-error-messages';

describe('connectErrorMessage', () => {
  it('shows our own message for each code the OAuth callback sends', () => {
    for (const code of ['sign_in_stale', 'verification_failed', 'dynamics_error', 'name_taken', 'not_found', 'sandbox_disabled']) {
      const message = connectErrorMessage(code);
      expect(message, code).toMatch(/\.$/);
      expect(message).not.toBe(GENERIC_CONNECT_ERROR);
      expect(message).not.toContain(code);
    }
    expect(connectErrorMessage('sign_in_stale')).toMatch(/already used.*Start again/);
  });

  it('never echoes text from the address: anything unknown reads as the generic message', () => {
    for (const text of [
      'Your account is locked, call +1 555 0100',
      '<script>alert(1)</script>',
      'toString',
      '__proto__',
      'constructor',
      '',
    ]) {
      expect(connectErrorMessage(text), text).toBe(GENERIC_CONNECT_ERROR);
    }
  });

  it('shows nothing without a connectError', () => {
    expect(connectErrorMessage(null)).toBeNull();
  });
});
