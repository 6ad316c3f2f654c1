import { describe, expect, it } from 'vitest';
import { allowedOrigins, isSameOriginRequest } from './csrf';

const allowed = ['http://localhost:3000'];

describe('isSameOriginRequest', () => {
  it.each([
    ['GET from anywhere', 'GET', 'https://evil.example', null, true],
    ['POST from our origin', 'POST', 'http://localhost:3000', null, true],
    ['POST from another origin', 'POST', 'https://evil.example', 'cross-site', false],
    ['POST with Origin: null', 'POST', 'null', null, false],
    ['DELETE without Origin but same-origin fetch metadata', 'DELETE', null, 'same-origin', true],
    ['PATCH without Origin and no fetch metadata', 'PATCH', null, null, false],
    ['POST from a sibling port', 'POST', 'http://localhost:3001', 'same-site', false],
  ])('%s', (_name, method, origin, secFetchSite, expected) => {
    expect(isSameOriginRequest({ method, origin, secFetchSite, allowedOrigins: allowed })).toBe(expected);
  });
});

describe('allowedOrigins', () => {
  it('ignores X-Forwarded-Host unless the proxy is trusted', () => {
    const headers = new Headers({ host: 'localhost:3000', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    expect(allowedOrigins(headers, 'http:', {} as unknown as NodeJS.ProcessEnv)).toEqual(['http://localhost:3000']);
    expect(allowedOrigins(headers, 'http:', { TRUST_PROXY: 'on' } as unknown as NodeJS.ProcessEnv)).toEqual(['https://evil.example']);
  });

  it('includes the addressed host, NEXTAUTH_URL and extra origins, ignoring malformed entries', () => {
    const headers = new Headers({ host: 'example.test:8080' });
    const env = {
      NEXTAUTH_URL: 'https://flows.example.com/app',
      APP_ALLOWED_ORIGINS: 'https://a.example, not a url',
    } as unknown as NodeJS.ProcessEnv;
    expect(allowedOrigins(headers, 'http:', env).sort()).toEqual(
      ['http://example.test:8080', 'https://a.example', 'https://flows.example.com'].sort(),
    );
  });
});
