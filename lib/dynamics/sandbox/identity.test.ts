/**
 * Conformance: the Microsoft identity endpoint (discovery, the password, client_credentials,
 * refresh_token and authorization_code grants, AADSTS errors) and Web API authentication (401 with
 * `WWW-Authenticate` and an empty body).
 *
 * Learn: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 *        https://learn.microsoft.com/entra/identity-platform/v2-oauth-ropc
 *        https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 *        https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 *        https://learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CREDS, passwordToken, setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox({ config: { tokenLifetimeSeconds: 3600 } });

async function token(form: Record<string, string>, tenant = 'organizations', headers: Record<string, string> = {}) {
  const res = await fetch(`${t.authority.replace('/organizations', `/${tenant}`)}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams(form),
    headers,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

function expectAadError(r: { status: number; body: Record<string, unknown> }, status: number, error: string, code: number) {
  expect(r.status).toBe(status);
  expect(r.body.error).toBe(error);
  expect(r.body.error_codes).toEqual([code]);
  expect(String(r.body.error_description)).toMatch(
    new RegExp(
      `^AADSTS${code}: .*\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z$`,
      's',
    ),
  );
  expect(r.body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
  expect(r.body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(r.body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
}

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

async function authorize(params: Record<string, string>, login = { username: CREDS.username, password: CREDS.password }) {
  const url = `${t.authority}/oauth2/v2.0/authorize?${new URLSearchParams(params)}`;
  const page = await fetch(url);
  const html = await page.text();
  const res = await fetch(url, { method: 'POST', body: new URLSearchParams(login), redirect: 'manual' });
  return { page, html, res };
}

describe('discovery', () => {
  it('serves /v2.0/.well-known/openid-configuration for organizations, common and the tenant GUID', async () => {
    for (const tenant of ['organizations', 'common', '5a4d0c1e-7b3f-4e2a-9c61-0d5b8f3a2e71']) {
      const res = await fetch(`${t.service}/login/${tenant}/v2.0/.well-known/openid-configuration`);
      expect(res.status).toBe(200);
      const cfg = (await res.json()) as Record<string, string>;
      expect(cfg.token_endpoint).toBe(`${t.service}/login/${tenant}/oauth2/v2.0/token`);
      expect(cfg.authorization_endpoint).toBe(`${t.service}/login/${tenant}/oauth2/v2.0/authorize`);
      expect(cfg.issuer).toContain('/v2.0');
      const jwks = (await (await fetch(cfg.jwks_uri ?? '')).json()) as { keys: Array<{ kty: string; d?: string }> };
      expect(jwks.keys[0]?.kty).toBe('RSA');
      expect(jwks.keys[0]?.d).toBeUndefined();
    }
  });
  it('an unknown tenant segment is AADSTS90002', async () => {
    const r = await token(
      { grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret', scope: `${t.service}/.default` },
      'not-a-tenant',
    );
    expectAadError(r, 400, 'invalid_request', 90002);
  });
});

describe('password grant', () => {
  it('returns a Bearer JWT for the service URL, with refresh token when offline_access is asked', async () => {
    const r = await token({ grant_type: 'password', ...CREDS, scope: `${t.service}/.default offline_access openid` });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toContain('no-store');
    expect(r.body.token_type).toBe('Bearer');
    expect(r.body.expires_in).toBe(3600);
    expect(typeof r.body.refresh_token).toBe('string');
    expect(typeof r.body.id_token).toBe('string');
    const payload = JSON.parse(Buffer.from(String(r.body.access_token).split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload.aud).toBe(t.service);
    expect(payload.upn).toBe('sales@sandbox.local');
    const noOffline = await token({ grant_type: 'password', ...CREDS, scope: `${t.service}/.default` });
    expect(noOffline.body.refresh_token).toBeUndefined();
  });
  it('a user who must use multi-factor authentication cannot use the password grant (AADSTS50076)', async () => {
    const r = await token({
      grant_type: 'password',
      ...CREDS,
      username: 'mfa@sandbox.local',
      password: 'sandbox',
      scope: `${t.service}/.default`,
    });
    expectAadError(r, 400, 'invalid_grant', 50076);
    // The interactive sign-in satisfies MFA: the same user gets a code from the authorize page.
    const { challenge } = pkce();
    const { res } = await authorize(
      {
        client_id: 'sandbox-client',
        response_type: 'code',
        redirect_uri: 'http://localhost/cb',
        scope: `${t.service}/.default`,
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      { username: 'mfa@sandbox.local', password: 'sandbox' },
    );
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/[?&]code=/);
  });
  it('a directory user with no user in the organization gets 403 0x80072560 from the Web API', async () => {
    const r = await token({
      grant_type: 'password',
      ...CREDS,
      username: 'noaccess@sandbox.local',
      password: 'sandbox',
      scope: `${t.service}/.default`,
    });
    expect(r.status).toBe(200);
    const who = await fetch(`${t.api}/WhoAmI`, { headers: { authorization: `Bearer ${String(r.body.access_token)}` } });
    expect(who.status).toBe(403);
    expect(((await who.json()) as { error: { code: string } }).error.code).toBe('0x80072560');
  });
  it('wrong password is 400 invalid_grant AADSTS50126', async () => {
    expectAadError(
      await token({ grant_type: 'password', ...CREDS, password: 'nope', scope: `${t.service}/.default` }),
      400,
      'invalid_grant',
      50126,
    );
  });
  it('unknown user is AADSTS50034', async () => {
    expectAadError(
      await token({ grant_type: 'password', ...CREDS, username: 'who@sandbox.local', scope: `${t.service}/.default` }),
      400,
      'invalid_grant',
      50034,
    );
  });
  it('unknown client is 400 unauthorized_client AADSTS700016', async () => {
    expectAadError(
      await token({ grant_type: 'password', ...CREDS, client_id: 'other', scope: `${t.service}/.default` }),
      400,
      'unauthorized_client',
      700016,
    );
  });
  it('wrong client secret is 401 invalid_client AADSTS7000215; missing secret AADSTS7000218', async () => {
    expectAadError(
      await token({ grant_type: 'password', ...CREDS, client_secret: 'bad', scope: `${t.service}/.default` }),
      401,
      'invalid_client',
      7000215,
    );
    const { client_secret: _s, ...noSecret } = CREDS;
    expectAadError(await token({ grant_type: 'password', ...noSecret, scope: `${t.service}/.default` }), 401, 'invalid_client', 7000218);
  });
  it('ROPC on /common is AADSTS9001023', async () => {
    expectAadError(
      await token({ grant_type: 'password', ...CREDS, scope: `${t.service}/.default` }, 'common'),
      400,
      'invalid_request',
      9001023,
    );
  });
  it('a scope without scheme is invalid_scope AADSTS70011; missing grant_type AADSTS900144; unknown grant AADSTS70003', async () => {
    expectAadError(await token({ grant_type: 'password', ...CREDS, scope: 'org.crm.dynamics.com/.default' }), 400, 'invalid_scope', 70011);
    expectAadError(await token({ ...CREDS }), 400, 'invalid_request', 900144);
    expectAadError(await token({ grant_type: 'magic', ...CREDS }), 400, 'unsupported_grant_type', 70003);
  });
});

describe('client_credentials', () => {
  it('issues an app-only token (no refresh token) that WhoAmI maps to the application user', async () => {
    const r = await token({
      grant_type: 'client_credentials',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
      scope: `${t.service}/.default`,
    });
    expect(r.status).toBe(200);
    expect(r.body.refresh_token).toBeUndefined();
    expect(r.body.ext_expires_in).toBe(3600);
    const who = await fetch(`${t.api}/WhoAmI`, { headers: { authorization: `Bearer ${String(r.body.access_token)}` } });
    const body = (await who.json()) as { UserId: string };
    expect(body.UserId).toBe('1b2c3d4e-0003-4a00-8000-000000000002');
  });
  it('accepts HTTP Basic client authentication', async () => {
    const basic = Buffer.from('sandbox-client:sandbox-secret').toString('base64');
    const r = await token({ grant_type: 'client_credentials', scope: `${t.service}/.default` }, 'organizations', {
      authorization: `Basic ${basic}`,
    });
    expect(r.status).toBe(200);
  });
  it('a scope not ending in /.default is AADSTS1002012', async () => {
    expectAadError(
      await token({
        grant_type: 'client_credentials',
        client_id: 'sandbox-client',
        client_secret: 'sandbox-secret',
        scope: `${t.service}/user_impersonation`,
      }),
      400,
      'invalid_scope',
      1002012,
    );
  });
});

describe('refresh_token', () => {
  it('rotates: the new refresh token works, the old one is rejected', async () => {
    const first = await passwordToken(t.service);
    const rt = String(first.refresh_token);
    const r1 = await token({
      grant_type: 'refresh_token',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
      refresh_token: rt,
    });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(rt);
    expectAadError(
      await token({ grant_type: 'refresh_token', client_id: 'sandbox-client', client_secret: 'sandbox-secret', refresh_token: rt }),
      400,
      'invalid_grant',
      70000,
    );
    const r2 = await token({
      grant_type: 'refresh_token',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
      refresh_token: String(r1.body.refresh_token),
    });
    expect(r2.status).toBe(200);
  });
  it('a revoked refresh token is AADSTS50173; a garbage one AADSTS9002313', async () => {
    const first = await passwordToken(t.service);
    const revoked = (await (
      await t.hook('revoke', { method: 'POST', body: JSON.stringify({ refresh_token: first.refresh_token }) })
    ).json()) as { revoked: number };
    expect(revoked.revoked).toBe(1);
    expectAadError(
      await token({
        grant_type: 'refresh_token',
        client_id: 'sandbox-client',
        client_secret: 'sandbox-secret',
        refresh_token: String(first.refresh_token),
      }),
      400,
      'invalid_grant',
      50173,
    );
    expectAadError(
      await token({ grant_type: 'refresh_token', client_id: 'sandbox-client', client_secret: 'sandbox-secret', refresh_token: 'garbage' }),
      400,
      'invalid_grant',
      9002313,
    );
  });
  it('an expired (inactive) refresh token is AADSTS700082', async () => {
    await t.hook('config', { method: 'PUT', body: JSON.stringify({ refreshTokenLifetimeSeconds: 1 }) });
    const first = await passwordToken(t.service);
    await new Promise((r) => setTimeout(r, 1100));
    expectAadError(
      await token({
        grant_type: 'refresh_token',
        client_id: 'sandbox-client',
        client_secret: 'sandbox-secret',
        refresh_token: String(first.refresh_token),
      }),
      400,
      'invalid_grant',
      700082,
    );
    await t.hook('config', { method: 'PUT', body: JSON.stringify({ refreshTokenLifetimeSeconds: 7776000 }) });
  });
});

describe('authorization_code + PKCE', () => {
  const redirect = 'http://localhost:3000/api/oauth/callback';
  it('sign-in page redirects back with code and state; the code redeems once with the right verifier', async () => {
    const { verifier, challenge } = pkce();
    const { page, html, res } = await authorize({
      client_id: 'sandbox-client',
      response_type: 'code',
      redirect_uri: redirect,
      scope: `${t.service}/.default offline_access`,
      state: 'xyz 1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(page.status).toBe(200);
    expect(html).toContain('<form method="post"');
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location') ?? '');
    expect(loc.origin + loc.pathname).toBe(redirect);
    expect(loc.searchParams.get('state')).toBe('xyz 1');
    const code = loc.searchParams.get('code') ?? '';
    const form = {
      grant_type: 'authorization_code',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
      code,
      redirect_uri: redirect,
    };
    expectAadError(await token({ ...form, code_verifier: 'wrong-verifier-wrong-verifier-wrong-verifier' }), 400, 'invalid_grant', 501481);
    // PKCE is checked before the code is marked redeemed, so the right verifier still works once.
    const ok = await token({ ...form, code_verifier: verifier });
    expect(ok.status).toBe(200);
    expect(typeof ok.body.refresh_token).toBe('string');
    expectAadError(await token({ ...form, code_verifier: verifier }), 400, 'invalid_grant', 54005);
  });
  it('wrong credentials re-render the page; cancel redirects with error=access_denied', async () => {
    const params = { client_id: 'sandbox-client', response_type: 'code', redirect_uri: redirect, scope: 'openid', state: 's' };
    const { res } = await authorize(params, { username: CREDS.username, password: 'bad' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('incorrect');
    const url = `${t.authority}/oauth2/v2.0/authorize?${new URLSearchParams(params)}`;
    const cancel = await fetch(url, { method: 'POST', body: new URLSearchParams({ cancel: '1' }), redirect: 'manual' });
    const loc = new URL(cancel.headers.get('location') ?? '');
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('state')).toBe('s');
  });
  it('a redirect_uri different from the authorize request is rejected', async () => {
    const { challenge, verifier } = pkce();
    const { res } = await authorize({
      client_id: 'sandbox-client',
      response_type: 'code',
      redirect_uri: redirect,
      scope: `${t.service}/.default`,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const r = await token({
      grant_type: 'authorization_code',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
      code,
      redirect_uri: 'http://evil.example/cb',
      code_verifier: verifier,
    });
    expectAadError(r, 400, 'invalid_grant', 500117);
  });
});

describe('Web API authentication', () => {
  const challengeRe =
    /^Bearer authorization_uri=http:\/\/127\.0\.0\.1:\d+\/sandbox\/login\/[0-9a-f-]{36}\/oauth2\/authorize, resource_id=http:\/\/127\.0\.0\.1:\d+\/sandbox\/$/;
  async function expect401(headers: Record<string, string>) {
    const res = await fetch(`${t.api}/WhoAmI`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(challengeRe);
    expect(await res.text()).toBe('');
  }
  it('missing token → 401 with WWW-Authenticate and empty body', async () => {
    await expect401({});
  });
  it('tampered token → 401', async () => {
    const tok = (await passwordToken(t.service)).access_token;
    const [h, p, s] = tok.split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
    claims.oid = '00000000-0000-0000-0000-000000000000';
    await expect401({ authorization: `Bearer ${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}` });
    await expect401({ authorization: 'Bearer not-a-jwt' });
  });
  it('wrong-audience token → 401', async () => {
    const r = await token({ grant_type: 'password', ...CREDS, scope: 'https://org.crm.dynamics.com/.default' });
    expect(r.status).toBe(200);
    await expect401({ authorization: `Bearer ${String(r.body.access_token)}` });
  });
  it('expired token → 401 (token lifetime configurable down to seconds)', async () => {
    await t.hook('config', { method: 'PUT', body: JSON.stringify({ tokenLifetimeSeconds: 1 }) });
    const tok = (await passwordToken(t.service)).access_token;
    await new Promise((r) => setTimeout(r, 2100));
    await expect401({ authorization: `Bearer ${tok}` });
  });
  it('a valid token reaches WhoAmI with and without parentheses', async () => {
    const tok = (await passwordToken(t.service)).access_token;
    for (const p of ['WhoAmI', 'WhoAmI()']) {
      const res = await fetch(`${t.api}/${p}`, { headers: { authorization: `Bearer ${tok}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, string>;
      expect(body['@odata.context']).toBe(`${t.api}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`);
      expect(body.UserId).toBe('1b2c3d4e-0003-4a00-8000-000000000001');
    }
  });
});
