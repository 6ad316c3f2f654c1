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
