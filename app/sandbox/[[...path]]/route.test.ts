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
