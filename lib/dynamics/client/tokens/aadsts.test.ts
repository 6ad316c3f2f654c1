import { describe, expect, it } from 'vitest';
import { aadstsCodeOf, describeTokenError } from './aadsts';
import { tokenErrorFromBody } from './token-error';

describe('Microsoft identity errors in plain words', () => {
  it.each([
    [{ error: 'invalid_grant', error_codes: [50126] }, 'The username or password is wrong.', true],
    [{ error: 'invalid_grant', error_codes: [70002, 50126] }, 'The username or password is wrong.', true],
    [{ error: 'invalid_grant', error_description: 'AADSTS50076: Due to a configuration change…' }, /multi-factor/, true],
    [{ error: 'invalid_grant', error_codes: [50173] }, /revoked/, true],
    [{ error: 'invalid_grant', error_codes: [700082] }, /inactivity/, true],
    [{ error: 'invalid_client', error_codes: [7000222] }, /expired/, true],
    [{ error: 'unauthorized_client', error_codes: [700016] }, /client ID is not known/, true],
    [{ error: 'invalid_grant', error_codes: [65001] }, /consent/, true],
    [{ error: 'invalid_grant', error_codes: [54005] }, /already used/, true],
    [{ error: 'invalid_grant', error_codes: [501481] }, /PKCE/, true],
    [{ error: 'temporarily_unavailable' }, /temporarily unavailable/, false],
    [{ error: 'something_new' }, 'Signing in to Microsoft failed.', false],
  ])('%j', (body, words, reconnect) => {
    const m = describeTokenError(body);
    if (typeof words === 'string') expect(m.words).toBe(words);
    else expect(m.words).toMatch(words);
    expect(m.reconnect).toBe(reconnect);
  });

  it('keeps only the first line of Microsoft’s description and marks 5xx transient', () => {
    const e = tokenErrorFromBody(400, {
      error: 'invalid_grant',
      error_codes: [50126],
      error_description: 'AADSTS50126: Error validating credentials.\r\nTrace ID: x\r\nCorrelation ID: y',
    });
    expect(e.serviceMessage).toBe('AADSTS50126: Error validating credentials.');
    expect(e).toMatchObject({ code: 'invalid_grant', reconnect: true, transient: false, aadsts: 50126 });
    expect(tokenErrorFromBody(503, { error: 'temporarily_unavailable' }).transient).toBe(true);
    expect(aadstsCodeOf({})).toBeUndefined();
  });
});
