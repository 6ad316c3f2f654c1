/**
 * The app's mount of the sandbox: forwards to the handler under /sandbox, guards the test hooks
 * behind sign-in unless SANDBOX_HOOKS=on, and answers 404 JSON when SANDBOX=off.
 */
import { NextRequest } from 'next/server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-mount-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Next mount', () => {
  it('forwards to the handler under /sandbox and answers 404 JSON when SANDBOX=off', async () => {
    process.env.DATA_DIR = dir;
    const route = await import('./route');
    const ok = await route.GET(new NextRequest('http://localhost:3000/sandbox/login/organizations/v2.0/.well-known/openid-configuration'));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { token_endpoint: string }).token_endpoint).toBe(
      'http://localhost:3000/sandbox/login/organizations/oauth2/v2.0/token',
    );
    // Each user has an own organization: with no signed-in caller, `organizations` serves discovery
    // only, and a tenant GUID that is no user's (here the standalone sandbox's) is refused.
    const form = {
      grant_type: 'password',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
      username: 'sales@sandbox.local',
      password: 'sandbox',
      scope: 'http://localhost:3000/sandbox/.default',
    };
    for (const tenant of ['organizations', 'common', '5a4d0c1e-7b3f-4e2a-9c61-0d5b8f3a2e71']) {
      const refused = await route.POST(
        new NextRequest(`http://localhost:3000/sandbox/login/${tenant}/oauth2/v2.0/token`, {
          method: 'POST',
          body: new URLSearchParams(form),
        }),
      );
      expect(refused.status).toBe(400);
    }
    const { sandboxTenantFor } = await import('@/lib/dynamics/accounts/sandbox-tenant');
    const own = await route.POST(
      new NextRequest(`http://localhost:3000/sandbox/login/${sandboxTenantFor('someone')}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams(form),
      }),
    );
    expect(own.status).toBe(200);
    // In the app the test hooks need a signed-in user unless SANDBOX_HOOKS=on opens them.
    const hook = await route.GET(new NextRequest('http://localhost:3000/sandbox/_sandbox/requests'));
    expect(hook.status).toBe(401);
    process.env.SANDBOX_HOOKS = 'on';
    try {
      expect((await route.GET(new NextRequest('http://localhost:3000/sandbox/_sandbox/requests'))).status).toBe(200);
    } finally {
      delete process.env.SANDBOX_HOOKS;
    }
    process.env.SANDBOX = 'off';
    try {
      const off = await route.POST(new NextRequest('http://localhost:3000/sandbox/_sandbox/reset', { method: 'POST' }));
      expect(off.status).toBe(404);
      expect(((await off.json()) as { error: { code: string } }).error.code).toBe('not_found');
    } finally {
      delete process.env.SANDBOX;
    }
    expect(route.dynamic).toBe('force-dynamic');
    expect(route.runtime).toBe('nodejs');
  });
});

describe('second organization in the app', () => {
  const form = (service: string) => ({
    grant_type: 'password',
    client_id: 'sandbox-org2-client',
    client_secret: 'sandbox-org2-secret',
    username: 'sales@org2.sandbox.local',
    password: 'sandbox',
    scope: `${service}/.default`,
  });
  const service = 'http://localhost:3000/sandbox/org2';

  it("/sandbox/org2 has the same rules: no shared default organization, the user's own tenant signs in, its hooks need a user", async () => {
    process.env.DATA_DIR = dir;
    const route = await import('./route');
    const discovery = await route.GET(new NextRequest(`${service}/login/organizations/v2.0/.well-known/openid-configuration`));
    expect(discovery.status).toBe(200);
    expect(((await discovery.json()) as { token_endpoint: string }).token_endpoint).toBe(
      `${service}/login/organizations/oauth2/v2.0/token`,
    );
    // With no caller, `organizations` and the second organization's own default tenant select no one's organization.
    for (const tenant of ['organizations', 'common', '8d3e1f20-6c4b-4d5a-9e72-1f6a9c4b3d82']) {
      const refused = await route.POST(
        new NextRequest(`${service}/login/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form(service)) }),
      );
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error_description: string }).error_description).toMatch(/^AADSTS90002/);
    }
    const { sandboxTenantFor } = await import('@/lib/dynamics/accounts/sandbox-tenant');
    const tenant = sandboxTenantFor('someone');
    const own = await route.POST(
      new NextRequest(`${service}/login/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form(service)) }),
    );
    expect(own.status).toBe(200);
    const { access_token } = (await own.json()) as { access_token: string };
    const who = await route.GET(
      new NextRequest(`${service}/api/data/v9.2/WhoAmI`, { headers: { authorization: `Bearer ${access_token}` } }),
    );
    expect(who.status).toBe(200);
    expect(((await who.json()) as { OrganizationId: string }).OrganizationId).toBe('c0ffee00-5a9d-4b0c-8e1f-2d3c4b5a0002');
    // The token is the second organization's: the first refuses it on its audience.
    const first = await route.GET(
      new NextRequest('http://localhost:3000/sandbox/api/data/v9.2/WhoAmI', { headers: { authorization: `Bearer ${access_token}` } }),
    );
    expect(first.status).toBe(401);

    for (const hook of ['requests', 'gc']) {
      const res = await route.GET(new NextRequest(`${service}/_sandbox/${hook}`));
      expect(res.status).toBe(hook === 'gc' ? 404 : 401);
    }
  });
});
