/**
 * The identity endpoint is no open redirector: like Microsoft's, `authorize` (every response mode,
 * including `form_post`'s self-submitting form) and `logout` redirect only to a URI registered for
 * the client, compared exactly; every other target gets an error page.
 *
 * Learn: https://learn.microsoft.com/entra/identity-platform/reply-url
 */
import { describe, expect, it } from 'vitest';
import { CREDS, setupTestSandbox, TEST_REDIRECT_URIS } from '../../../test/support/sandbox';

const t = setupTestSandbox();

const APP_CALLBACK = () => `${new URL(t.service).origin}/api/accounts/oauth/callback`;

/** Targets that are not registered: other hosts, ports, paths, schemes, and encoded or relative tricks. */
const UNREGISTERED = (): string[] => {
  const origin = new URL(t.service).origin;
  const port = new URL(t.service).port;
  return [
    'http://evil.example/api/accounts/oauth/callback',
    `http://127.0.0.1:${Number(port) + 1}/api/accounts/oauth/callback`,
    `${origin}/api/accounts/oauth/callback/../../../evil`,
    `${origin}/api/accounts/oauth/callbackx`,
    `${origin}/api/accounts/oauth/callback?next=http://evil.example`,
    `${origin}/api/accounts/oauth/callback#x`,
    `${origin}/API/accounts/oauth/callback`,
    `${origin}/api/accounts/oauth/callback/`,
    `${origin}/`,
    `${origin}/sandbox/login/organizations/oauth2/v2.0/logout?post_logout_redirect_uri=http://evil.example`,
    'http://localhost:3001/cb',
    'http://localhost/cb/../evil',
    'https://localhost/cb',
    'http://LOCALHOST/cb',
    'http://localhost/cb%2f..%2fevil',
    'http://localhost%2f@evil.example/cb',
    'http://localhost@evil.example/cb',
    'http://evil.example#@localhost/cb',
    '//evil.example/cb',
    '/\\evil.example/cb',
    '\\\\evil.example\\cb',
    'javascript:alert(1)',
    'JavaScript:alert(document.domain)//http://localhost/cb',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'http%3A%2F%2Flocalhost%2Fcb',
    ' http://localhost/cb',
    'http://localhost/cb ',
    'http://localhost/cb\n',
    '',
  ];
};

async function authorize(redirectUri: string | null, mode: 'query' | 'fragment' | 'form_post', signIn: boolean): Promise<Response> {
  const params = new URLSearchParams({
    client_id: CREDS.client_id,
    response_type: 'code',
    scope: 'openid',
    state: 's',
    response_mode: mode,
  });
  if (redirectUri !== null) params.set('redirect_uri', redirectUri);
  const url = `${t.authority}/oauth2/v2.0/authorize?${params}`;
  if (!signIn) return fetch(url, { redirect: 'manual' });
  return fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ username: CREDS.username, password: CREDS.password }),
    redirect: 'manual',
  });
}

describe('authorize: only registered redirect URIs', () => {
  it('redirects to each registered URI (the app callback at the origin and the configured ones)', async () => {
    for (const uri of [APP_CALLBACK(), ...TEST_REDIRECT_URIS]) {
      const res = await authorize(uri, 'query', true);
      expect(res.status, uri).toBe(302);
      const loc = new URL(res.headers.get('location') ?? '');
      expect(loc.origin + loc.pathname, uri).toBe(uri);
      expect(loc.searchParams.get('code')).toBeTruthy();
      const form = await authorize(uri, 'form_post', true);
      expect(form.status).toBe(200);
      expect(await form.text()).toContain(`action="${uri}"`);
    }
  });

  it('an unregistered redirect_uri gets an error page in every mode, before and after sign-in, and on cancel', async () => {
    const leaks: string[] = [];
    for (const uri of [...UNREGISTERED(), null]) {
      for (const mode of ['query', 'fragment', 'form_post'] as const) {
        for (const signIn of [false, true]) {
          const res = await authorize(uri, mode, signIn);
          const html = await res.text();
          if (res.status !== 400 || res.headers.get('location') !== null || !html.includes('AADSTS50011') || /<form/i.test(html))
            leaks.push(`${JSON.stringify(uri)} ${mode} signIn=${signIn} → ${res.status} ${res.headers.get('location') ?? ''}`);
        }
      }
      const params = new URLSearchParams({ client_id: CREDS.client_id, response_type: 'token', scope: 'openid', state: 's' });
      if (uri !== null) params.set('redirect_uri', uri);
      const cancel = await fetch(`${t.authority}/oauth2/v2.0/authorize?${params}`, {
        method: 'POST',
        body: new URLSearchParams({ cancel: '1' }),
        redirect: 'manual',
      });
      if (cancel.status !== 400 || cancel.headers.get('location') !== null) leaks.push(`cancel ${JSON.stringify(uri)} → ${cancel.status}`);
    }
    expect(leaks).toEqual([]);
  });
});

describe('logout: only registered post_logout_redirect_uri', () => {
  const logout = (target: string | null) =>
    fetch(`${t.authority}/oauth2/v2.0/logout${target === null ? '' : `?${new URLSearchParams({ post_logout_redirect_uri: target })}`}`, {
      redirect: 'manual',
    });

  it('redirects to a registered URI; without one it shows the signed-out page', async () => {
    for (const uri of [APP_CALLBACK(), ...TEST_REDIRECT_URIS]) {
      const res = await logout(uri);
      expect(res.status, uri).toBe(302);
      expect(res.headers.get('location')).toBe(uri);
    }
    const plain = await logout(null);
    expect(plain.status).toBe(200);
    expect(await plain.text()).toContain('signed out');
  });

  it('every other target is an error page, never a redirect', async () => {
    const leaks: string[] = [];
    for (const uri of UNREGISTERED()) {
      const res = await logout(uri);
      const html = await res.text();
      if (res.status !== 400 || res.headers.get('location') !== null || /<form|http-equiv/i.test(html))
        leaks.push(`${JSON.stringify(uri)} → ${res.status} ${res.headers.get('location') ?? ''}`);
    }
    expect(leaks).toEqual([]);
  });
});
