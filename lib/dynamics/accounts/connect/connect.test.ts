/**
 * Each authorization method end to end against the sandbox's identity endpoint and Web API, over
 * real HTTP: tokens, refresh under concurrency (single-flight), rotation persisted, revoked and
 * wrong credentials marking the account once, never looping.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestSandbox } from '../../../../test/support/sandbox';
import { createDataverseClient } from '../../client/create-client';
import { createHttpTransport } from '../../client/transport/http-transport';
import { hostOf, recordingPort, requestLog, SANDBOX_CREDS, sandboxAccount } from '../../../../test/support/client-fixtures';
import { createAuthorizationRequest, redeemAuthorizationCode } from './auth-code';
import { generateTokens } from './generate-tokens';
import { verifyConnection } from './verify-connection';

const t = setupTestSandbox();
let allowedHosts: string[];
const transport = createHttpTransport({ allowedHosts: [] });

beforeAll(async () => {
  allowedHosts = [hostOf(t)];
});

const tokenRequests = async () => (await requestLog(t, { path: '/oauth2/v2.0/token' })).filter((r) => r.method === 'POST');
const past = () => new Date(Date.now() - 60_000).toISOString();

async function freshTokens() {
  return generateTokens({ serviceUrl: t.service, ...SANDBOX_CREDS }, { allowedHosts });
}

describe('password method', () => {
  it('gets a token, calls WhoAmI and saves the tokens', async () => {
    const port = recordingPort();
    const client = createDataverseClient(sandboxAccount(t, 'password'), port, { allowedHosts });
    const me = await client.whoAmI();
    expect(me.UserId).toMatch(/^[0-9a-f-]{36}$/);
    expect(port.saved).toHaveLength(1);
    expect(port.saved[0]?.refreshToken).toBeTruthy();
    await client.whoAmI();
    expect(await tokenRequests()).toHaveLength(1); // served from the cache
  });

  it('falls back to the password when its refresh token is dead, without marking the account', async () => {
    const tokens = await freshTokens();
    await t.hook('revoke', {
      method: 'POST',
      body: JSON.stringify({ refresh_token: tokens.refreshToken }),
      headers: { 'content-type': 'application/json' },
    });
    const port = recordingPort();
    const client = createDataverseClient(
      sandboxAccount(t, 'password', { refreshToken: tokens.refreshToken, accessToken: tokens.accessToken, accessTokenExpiresAt: past() }),
      port,
      { allowedHosts },
    );
    await expect(client.whoAmI()).resolves.toMatchObject({ UserId: expect.any(String) });
    const grants = (await tokenRequests()).map((r) => /grant_type=([a-z_]+)/.exec(r.body)?.[1]);
    expect(grants).toEqual(['password', 'refresh_token', 'password']);
    expect(port.reconnects).toEqual([]);
    expect(port.saved).toHaveLength(1);
  });

  it('a wrong password marks the account once, in plain words, and never loops', async () => {
    const port = recordingPort();
    const client = createDataverseClient(sandboxAccount(t, 'password', { password: 'wrong-canary-91' }), port, {
      allowedHosts,
      retry: { baseDelayMs: 1 },
    });
    const err = await client.whoAmI().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_grant', transient: false });
    expect(String((err as Error).message)).not.toContain('wrong-canary-91');
    expect(port.reconnects).toEqual(['The username or password is wrong.']);
    await expect(client.whoAmI()).rejects.toMatchObject({ code: 'invalid_grant' });
    expect(await tokenRequests()).toHaveLength(1);
    expect(port.reconnects).toHaveLength(1);
  });
});

describe('Basic OAuth (stored access + refresh token)', () => {
  it('uses the stored access token without calling the token endpoint', async () => {
    const tokens = await freshTokens();
    const port = recordingPort();
    const client = createDataverseClient(
      sandboxAccount(t, 'basic_oauth', {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        accessTokenExpiresAt: tokens.expiresAt,
      }),
      port,
      { allowedHosts },
    );
    await client.whoAmI();
    expect(await tokenRequests()).toHaveLength(1); // only generateTokens
    expect(port.saved).toHaveLength(0);
  });

  it('20 concurrent calls with an expired token cause exactly one refresh; the rotated token is saved', async () => {
    const tokens = await freshTokens();
    const port = recordingPort();
    const account = sandboxAccount(t, 'basic_oauth', {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessTokenExpiresAt: past(),
    });
    const client = createDataverseClient(account, port, { allowedHosts });
    const results = await Promise.all(Array.from({ length: 20 }, () => client.whoAmI()));
    expect(results).toHaveLength(20);
    const refreshes = (await tokenRequests()).filter((r) => r.body.includes('grant_type=refresh_token'));
    expect(refreshes).toHaveLength(1);
    expect(port.saved).toHaveLength(1);
    const rotated = port.saved[0]?.refreshToken;
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(tokens.refreshToken);
    // The old refresh token is retired by the identity platform; the saved one works.
    const second = createDataverseClient(
      { ...account, id: `${account.id}-b`, secrets: { ...account.secrets, refreshToken: rotated, accessTokenExpiresAt: past() } },
      recordingPort(),
      { allowedHosts },
    );
    await expect(second.whoAmI()).resolves.toMatchObject({ UserId: results[0]?.UserId });
  });

  it('a revoked refresh token marks the account "needs reconnecting" once; no loop', async () => {
    const tokens = await freshTokens();
    await t.hook('revoke', {
      method: 'POST',
      body: JSON.stringify({ refresh_token: tokens.refreshToken }),
      headers: { 'content-type': 'application/json' },
    });
    const port = recordingPort();
    const client = createDataverseClient(
      sandboxAccount(t, 'basic_oauth', {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        accessTokenExpiresAt: past(),
      }),
      port,
      { allowedHosts },
    );
    const calls = await Promise.allSettled(Array.from({ length: 5 }, () => client.whoAmI()));
    expect(calls.every((c) => c.status === 'rejected')).toBe(true);
    await expect(client.whoAmI()).rejects.toMatchObject({ code: 'invalid_grant' });
    expect(port.reconnects).toHaveLength(1);
    expect(port.reconnects[0]).toMatch(/revoked/i);
    const refreshes = (await tokenRequests()).filter((r) => r.body.includes('grant_type=refresh_token'));
    expect(refreshes).toHaveLength(1);
  });

  it('a wrong client secret is explained', async () => {
    const tokens = await freshTokens();
    const port = recordingPort();
    const client = createDataverseClient(
      sandboxAccount(t, 'basic_oauth', {
        clientSecret: 'nope',
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        accessTokenExpiresAt: past(),
      }),
      port,
      { allowedHosts },
    );
    await expect(client.whoAmI()).rejects.toMatchObject({ code: 'invalid_client', status: 401 });
    expect(port.reconnects).toEqual(['The client secret is wrong (use the secret value, not its ID).']);
  });
});

describe('auth code with PKCE', () => {
  const redirectUri = 'http://localhost:3000/api/accounts/oauth/callback';

  async function signIn(authorizeUrl: string, password = SANDBOX_CREDS.password): Promise<URL> {
    const page = await fetch(authorizeUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    const form = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      form.set(
        m[1] ?? '',
        (m[2] ?? '')
          .replace(/&amp;/g, '&')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>'),
      );
    }
    form.set('username', SANDBOX_CREDS.username);
    form.set('password', password);
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? authorizeUrl;
    const res = await fetch(new URL(action, authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location') ?? '');
  }

  it('builds the authorize URL, signs in, redeems the code and uses the tokens', async () => {
    const req = await createAuthorizationRequest({
      serviceUrl: t.service,
      identityEndpoint: t.authority,
      clientId: SANDBOX_CREDS.clientId,
      redirectUri,
    });
    const url = new URL(req.url);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')).toBe(`${t.service}/.default offline_access`);
    expect(url.searchParams.has('code_verifier')).toBe(false);
    const callback = await signIn(req.url);
    expect(callback.searchParams.get('state')).toBe(req.state);
    const tokens = await redeemAuthorizationCode({
      identityEndpoint: t.authority,
      clientId: SANDBOX_CREDS.clientId,
      clientSecret: SANDBOX_CREDS.clientSecret,
      redirectUri,
      callback,
      expectedState: req.state,
      codeVerifier: req.codeVerifier,
      transport,
    });
    expect(tokens.refreshToken).toBeTruthy();
    const client = createDataverseClient(
      sandboxAccount(t, 'auth_code', {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        accessTokenExpiresAt: tokens.expiresAt,
      }),
      recordingPort(),
      { allowedHosts },
    );
    await expect(client.whoAmI()).resolves.toMatchObject({ UserId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // Reusing the code is refused with Microsoft's reason in plain words.
    await expect(
      redeemAuthorizationCode({
        identityEndpoint: t.authority,
        clientId: SANDBOX_CREDS.clientId,
        clientSecret: SANDBOX_CREDS.clientSecret,
        redirectUri,
        callback,
        expectedState: req.state,
        codeVerifier: req.codeVerifier,
        transport,
      }),
    ).rejects.toMatchObject({ code: 'invalid_grant', explanation: 'The sign-in code was already used. Start the sign-in again.' });
  });

  it('refuses a callback with another state and a wrong verifier', async () => {
    const req = await createAuthorizationRequest({
      serviceUrl: t.service,
      identityEndpoint: t.authority,
      clientId: SANDBOX_CREDS.clientId,
      redirectUri,
    });
    const callback = await signIn(req.url);
    const base = {
      identityEndpoint: t.authority,
      clientId: SANDBOX_CREDS.clientId,
      clientSecret: SANDBOX_CREDS.clientSecret,
      redirectUri,
      callback,
      transport,
    };
    await expect(redeemAuthorizationCode({ ...base, expectedState: 'other', codeVerifier: req.codeVerifier })).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await expect(redeemAuthorizationCode({ ...base, expectedState: req.state, codeVerifier: 'x'.repeat(43) })).rejects.toMatchObject({
      code: 'invalid_grant',
      aadsts: 501481,
    });
  });

  it('turns a cancelled sign-in into a plain error', async () => {
    await expect(
      redeemAuthorizationCode({
        identityEndpoint: t.authority,
        clientId: SANDBOX_CREDS.clientId,
        redirectUri,
        callback: `${redirectUri}?error=access_denied&error_description=the+user+canceled&state=s1`,
        expectedState: 's1',
        codeVerifier: 'v',
        transport,
      }),
    ).rejects.toMatchObject({ code: 'access_denied', explanation: 'The sign-in was cancelled or refused.' });
  });
});

describe('verifyConnection and generateTokens', () => {
  it('verifies a good account and names the principal', async () => {
    const r = await verifyConnection(sandboxAccount(t, 'password'), { allowedHosts });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.principal).toContain('sales');
      expect(r.tokens?.refreshToken).toBeTruthy();
    }
  });

  it('reports a bad account without leaking the secret', async () => {
    const r = await verifyConnection(sandboxAccount(t, 'password', { password: 'canary-secret-5521' }), { allowedHosts });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid_grant', explanation: 'The username or password is wrong.' },
      needsReconnect: true,
    });
    expect(JSON.stringify(r)).not.toContain('canary-secret-5521');
  });

  it('refuses a service URL outside the allow-list before sending anything', async () => {
    const r = await verifyConnection({ ...sandboxAccount(t, 'password') }, { allowedHosts: [] });
    expect(r).toMatchObject({ ok: false, error: { code: 'unsafe_url' } });
  });

  it('generateTokens returns access and refresh tokens', async () => {
    const tokens = await freshTokens();
    expect(tokens.accessToken.split('.')).toHaveLength(3);
    expect(Date.parse(tokens.expiresAt)).toBeGreaterThan(Date.now());
  });
});
