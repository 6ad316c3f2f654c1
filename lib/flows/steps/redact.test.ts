import { describe, expect, it } from 'vitest';
import { REDACTED, redactKnown, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('blanks secret-looking keys at any depth, headers included, case- and style-insensitively', () => {
    const input = {
      url: 'https://api.example.com',
      headers: { Authorization: 'Bearer abc', 'X-API-Key': 'k', 'Proxy-Authorization': 'p', Cookie: 'c', Accept: 'json' },
      body: { user: 'ada', password: 'pw', nested: [{ clientSecret: 's', refresh_token: 'r', tokenCount: 3, github_token: 'g' }] },
      apikey: 'a',
      private_key: 'pk',
      passwd: 'x',
      empty: { password: '' },
    };
    expect(redactSecrets(input)).toEqual({
      url: 'https://api.example.com',
      headers: { Authorization: REDACTED, 'X-API-Key': REDACTED, 'Proxy-Authorization': REDACTED, Cookie: REDACTED, Accept: 'json' },
      body: {
        user: 'ada',
        password: REDACTED,
        nested: [{ clientSecret: REDACTED, refresh_token: REDACTED, tokenCount: 3, github_token: REDACTED }],
      },
      apikey: REDACTED,
      private_key: REDACTED,
      passwd: REDACTED,
      empty: { password: '' },
    });
  });
  it('blanks URL passwords and secret query parameters, leaving other URLs and text alone', () => {
    expect(
      redactSecrets({
        url: 'https://api.example.com/v1/items?api_key=k123&page=2&access_token=t',
        login: 'https://ada:hunter2@example.com/x',
        blob: 'https://store.example.net/f.txt?sv=1&sig=abc',
        plain: 'https://example.com/a?page=2',
        text: 'see ?api_key=k in the docs',
      }),
    ).toEqual({
      url: `https://api.example.com/v1/items?api_key=${encodeURIComponent(REDACTED)}&page=2&access_token=${encodeURIComponent(REDACTED)}`,
      login: `https://ada:${encodeURIComponent(REDACTED)}@example.com/x`,
      blob: `https://store.example.net/f.txt?sv=1&sig=${encodeURIComponent(REDACTED)}`,
      plain: 'https://example.com/a?page=2',
      text: 'see ?api_key=k in the docs',
    });
  });

  it('copies, never mutates, and survives cycles', () => {
    const input: Record<string, unknown> = { token: 't', list: [1] };
    input.self = input;
    const out = redactSecrets(input) as Record<string, unknown>;
    expect(input.token).toBe('t');
    expect(out.list).not.toBe(input.list);
    expect(out.self).toBe('[circular]');
  });
});

describe('redactKnown', () => {
  it('replaces known secrets inside any string and key', () => {
    const out = redactKnown({ note: 'pw=canary-7f3e! twice canary-7f3e!', list: ['x canary-7f3e!'], ['canary-7f3e!']: 1 }, [
      'canary-7f3e!',
    ]);
    expect(JSON.stringify(out)).not.toContain('canary');
    expect(out).toEqual({ note: `pw=${REDACTED} twice ${REDACTED}`, list: [`x ${REDACTED}`], [REDACTED]: 1 });
  });
  it('ignores secrets too short to mean anything, and keeps other values', () => {
    expect(redactKnown({ a: 'abc', n: 5, b: true }, ['a', ''])).toEqual({ a: 'abc', n: 5, b: true });
  });
});
