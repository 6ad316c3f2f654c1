/**
 * Bounded memory: with persistent storage at most `maxLoadedOrganizations` tenants' organizations
 * stay loaded; the least recently used beyond it are flushed and unloaded, and come back from the
 * journal on their next request with the same rows, refresh grants and change-tracking state. An
 * organization with a request in flight is never unloaded; a memory-only sandbox unloads nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSandboxTenant, sandboxTenantFor } from '../accounts/sandbox-tenant';
import { SANDBOX_TENANT_ID } from './seed/constants';
import { CREDS, startSandbox, type TestSandbox } from '../../../test/support/sandbox';
import type { SandboxOptions } from './handler';

const A = sandboxTenantFor('evict-a');
const B = sandboxTenantFor('evict-b');
const C = sandboxTenantFor('evict-c');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Set up as the app mounts it (app/sandbox): each tenant GUID selects its own organization. */
function start(opts: SandboxOptions = {}, persistent = true): Promise<TestSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-evict-'));
  dirs.push(dir);
  return startSandbox({
    ...(persistent ? { storage: { dir } } : {}),
    tenantOf: (segment, kind) => (kind !== 'tenant' ? SANDBOX_TENANT_ID : isSandboxTenant(segment) ? segment.toLowerCase() : null),
    ...opts,
  });
}

async function tokenFor(t: TestSandbox, tenant: string): Promise<{ access: string; refresh: string }> {
  const res = await fetch(`${t.service}/login/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', ...CREDS, scope: `${t.service}/.default offline_access` }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as Record<string, string>;
  return { access: body.access_token ?? '', refresh: body.refresh_token ?? '' };
}

async function api(t: TestSandbox, token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(path.startsWith('http') ? path : `${t.api}/${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'content-type': 'application/json',
      ...(init.headers as Record<string, string>),
    },
  });
}

async function createAccount(t: TestSandbox, token: string, name: string): Promise<string> {
  const res = await api(t, token, 'accounts', { method: 'POST', body: JSON.stringify({ name }) });
  expect(res.status).toBe(204);
  return /\(([0-9a-f-]{36})\)/.exec(res.headers.get('odata-entityid') ?? '')?.[1] ?? '';
}

async function nameOf(t: TestSandbox, token: string, id: string): Promise<string | undefined> {
  const res = await api(t, token, `accounts(${id})?$select=name`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { name?: string }).name;
}

type Page = { value: Record<string, unknown>[]; '@odata.deltaLink'?: string };

describe('unloading organizations', () => {
  it('with max 2 the least recently used is unloaded after a third is used, and reloads with its data, grants and change tracking', async () => {
    const t = await start({ maxLoadedOrganizations: 2 });
    try {
      const a = await tokenFor(t, A);
      const id = await createAccount(t, a.access, 'Kept across unloading');
      const doomed = await createAccount(t, a.access, 'Deleted before unloading');
      const tracked = (await (
        await api(t, a.access, 'accounts?$select=name', { headers: { prefer: 'odata.track-changes' } })
      ).json()) as Page;
      const delta = tracked['@odata.deltaLink'] ?? '';
      expect(delta).not.toBe('');
      expect((await api(t, a.access, `accounts(${doomed})`, { method: 'DELETE' })).status).toBe(204);

      await tokenFor(t, B);
      await t.sandbox.evictions();
      expect(t.sandbox.loadedOrganizations()).toEqual([SANDBOX_TENANT_ID, A, B]);
      await tokenFor(t, C);
      await t.sandbox.evictions();
      expect(t.sandbox.loadedOrganizations()).toEqual([SANDBOX_TENANT_ID, B, C]);

      // The next request reloads A from the journal: the record, the deletion for the delta link, the refresh grant.
      expect(await nameOf(t, a.access, id)).toBe('Kept across unloading');
      expect(t.sandbox.loadedOrganizations()).toContain(A);
      const changes = (await (await api(t, a.access, delta)).json()) as Page;
      expect(changes.value.filter((r) => r.reason === 'deleted').map((r) => r.id)).toEqual([doomed]);
      await t.sandbox.evictions();
      expect(t.sandbox.loadedOrganizations()).toEqual([SANDBOX_TENANT_ID, C, A]);
      const refreshed = await fetch(`${t.service}/login/${A}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: CREDS.client_id,
          client_secret: CREDS.client_secret,
          refresh_token: a.refresh,
        }),
      });
      expect(refreshed.status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('never unloads an organization with a request in flight', async () => {
    const t = await start({ maxLoadedOrganizations: 1 });
    try {
      const a = await tokenFor(t, A);
      const faults = await t.sandbox.handle(
        new Request(`${t.service}/_sandbox/faults`, {
          method: 'PUT',
          body: JSON.stringify({ rules: [{ kind: 'delay', delayMs: 400, method: 'POST', count: 1 }] }),
        }),
        { hooksTenant: A },
      );
      expect(faults.status).toBe(200);
      // A slow create in A; meanwhile B is used, which would push A out were it not in flight.
      const slow = api(t, a.access, 'accounts', { method: 'POST', body: JSON.stringify({ name: 'Slow write' }) });
      await new Promise((r) => setTimeout(r, 50));
      const b = await tokenFor(t, B);
      await createAccount(t, b.access, 'B meanwhile');
      await t.sandbox.evictions();
      expect(t.sandbox.loadedOrganizations()).toContain(A);
      const res = await slow;
      expect(res.status).toBe(204);
      const id = /\(([0-9a-f-]{36})\)/.exec(res.headers.get('odata-entityid') ?? '')?.[1] ?? '';
      await t.sandbox.evictions();
      expect(t.sandbox.loadedOrganizations().length).toBeLessThanOrEqual(2);
      // Push A out for certain, then read the slow write back from the journal.
      await tokenFor(t, C);
      await t.sandbox.evictions();
      expect(t.sandbox.loadedOrganizations()).not.toContain(A);
      expect(await nameOf(t, a.access, id)).toBe('Slow write');
    } finally {
      await t.close();
    }
  });

  it('a memory-only sandbox keeps every organization', async () => {
    const t = await start({ maxLoadedOrganizations: 2 }, false);
    try {
      const a = await tokenFor(t, A);
      const id = await createAccount(t, a.access, 'Only in memory');
      await tokenFor(t, B);
      await tokenFor(t, C);
      await t.sandbox.evictions();
      expect(t.sandbox.loadedOrganizations()).toEqual([SANDBOX_TENANT_ID, A, B, C]);
      expect(await nameOf(t, a.access, id)).toBe('Only in memory');
    } finally {
      await t.close();
    }
  });
});
