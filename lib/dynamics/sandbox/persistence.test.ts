/**
 * The app's sandbox organization survives restarts: data, refresh tokens and the signing key are
 * persisted under the data directory; and SANDBOX=off disables the mount.
 */
import { NextRequest } from 'next/server';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { passwordToken, startSandbox } from '../../../test/support/sandbox';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-persist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('persistent storage', () => {
  it('keeps created rows, refresh tokens and the signing key across a restart', async () => {
    const first = await startSandbox({ storage: { dir } });
    const tokens = await passwordToken(first.service);
    const res = await first.call('accounts', { method: 'POST', body: JSON.stringify({ name: 'Survivor' }) });
    expect(res.status).toBe(204);
    first.sandbox.flush();
    await first.close();
    expect(statSync(join(dir, 'signing-key.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'org.json'), 'utf8')).toContain('Survivor');

    const second = await startSandbox({ storage: { dir } });
    const count = await second.call(`accounts/$count?$filter=${encodeURIComponent("name eq 'Survivor'")}`);
    expect(await count.text()).toBe('1');
    // The new server listens on another port (another service URL), but the persisted refresh token
    // and signing key still work.
    const refreshed = await fetch(`${second.service}/login/organizations/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'sandbox-client',
        client_secret: 'sandbox-secret',
        refresh_token: String(tokens.refresh_token),
        scope: `${second.service}/.default offline_access`,
      }),
    });
    expect(refreshed.status).toBe(200);
    await second.close();
  });
});

describe('Next mount', () => {
  it('forwards to the handler under /sandbox and answers 404 JSON when SANDBOX=off', async () => {
    process.env.DATA_DIR = dir;
    const route = await import('../../../app/sandbox/[[...path]]/route');
    const ok = await route.GET(new NextRequest('http://localhost:3000/sandbox/login/organizations/v2.0/.well-known/openid-configuration'));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { token_endpoint: string }).token_endpoint).toBe(
      'http://localhost:3000/sandbox/login/organizations/oauth2/v2.0/token',
    );
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
