/**
 * One organization per app user: user B cannot see or change anything of user A's sandbox — data,
 * calls (faults, limits), request log, refresh tokens — through the identity endpoint, the Web API
 * or the hooks. The sandbox is set up as the app mounts it (app/sandbox): each user's tenant GUID
 * from sandbox-tenant.ts selects their organization; other GUIDs are refused.
 */
import { describe, expect, it } from 'vitest';
import { isSandboxTenant, sandboxTenantFor } from '../accounts/sandbox-tenant';
import { SANDBOX_TENANT_ID } from './seed/constants';
import { CREDS, startSandbox, type TestSandbox } from '../../../test/support/sandbox';

const A = sandboxTenantFor('user-a');
const B = sandboxTenantFor('user-b');

async function tokenFor(t: TestSandbox, tenant: string, extra: Record<string, string> = {}) {
  const res = await fetch(`${t.service}/login/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', ...CREDS, scope: `${t.service}/.default offline_access`, ...extra }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** A hook call as the app's mount makes it for a signed-in user: on that user's organization. */
async function hook(t: TestSandbox, tenant: string, path: string, init: RequestInit = {}) {
  const res = await t.sandbox.handle(new Request(`${t.service}/_sandbox/${path}`, init), { hooksTenant: tenant });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function api(t: TestSandbox, token: string, path: string, init: RequestInit = {}) {
  return fetch(`${t.api}/${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'content-type': 'application/json',
      ...(init.headers as Record<string, string>),
    },
  });
}

describe('per-user sandbox organizations', () => {
  it('tenant GUIDs are per user, stable, checkable, and not forgeable', () => {
    expect(A).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(sandboxTenantFor('user-a')).toBe(A);
    expect(A).not.toBe(B);
    expect(isSandboxTenant(A) && isSandboxTenant(B)).toBe(true);
    expect(isSandboxTenant(SANDBOX_TENANT_ID)).toBe(false);
    expect(isSandboxTenant(`${A.slice(0, -1)}${A.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(isSandboxTenant('organizations')).toBe(false);
  });

  it('user B sees and changes nothing of user A: data, faults, limits, request log, refresh tokens', async () => {
    const t = await startSandbox({
      tenantOf: (segment, kind) => (kind !== 'tenant' ? SANDBOX_TENANT_ID : isSandboxTenant(segment) ? segment.toLowerCase() : null),
    });
    try {
      const a = await tokenFor(t, A);
      const b = await tokenFor(t, B);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      const claims = (tok: string) => JSON.parse(Buffer.from(tok.split('.')[1] ?? '', 'base64url').toString()) as { tid: string };
      expect(claims(a.body.access_token ?? '').tid).toBe(A);
      expect(claims(b.body.access_token ?? '').tid).toBe(B);
      // A guessed or other GUID is no tenant of ours.
      expect((await tokenFor(t, '11111111-2222-4333-8444-555555555555')).status).toBe(400);

      // Data: A's record is invisible and untouchable for B.
      const created = await api(t, a.body.access_token ?? '', 'accounts', {
        method: 'POST',
        body: JSON.stringify({ name: 'A secret account' }),
      });
      expect(created.status).toBe(204);
      const id = /\(([0-9a-f-]{36})\)/.exec(created.headers.get('odata-entityid') ?? '')?.[1] ?? '';
      expect((await api(t, a.body.access_token ?? '', `accounts(${id})`)).status).toBe(200);
      expect((await api(t, b.body.access_token ?? '', `accounts(${id})`)).status).toBe(404);
      expect(
        (
          await api(t, b.body.access_token ?? '', `accounts(${id})`, {
            method: 'PATCH',
            body: '{"name":"x"}',
            headers: { 'if-match': '*' },
          })
        ).status,
      ).toBe(404);
      expect((await api(t, b.body.access_token ?? '', `accounts(${id})`, { method: 'DELETE' })).status).toBe(404);
      const bList = (await (
        await api(t, b.body.access_token ?? '', `accounts?$filter=${encodeURIComponent("name eq 'A secret account'")}`)
      ).json()) as {
        value: unknown[];
      };
      expect(bList.value).toEqual([]);

      // Hooks act only on the caller's organization.
      expect((await hook(t, B, 'faults', { method: 'PUT', body: JSON.stringify({ rules: [{ kind: '503' }] }) })).status).toBe(200);
      expect((await hook(t, B, 'config', { method: 'PUT', body: JSON.stringify({ limits: { requests: 1 } }) })).status).toBe(200);
      expect((await hook(t, B, 'revoke', { method: 'POST', body: '{}' })).body.revoked).toBe(1);
      expect((await hook(t, B, 'reset', { method: 'POST', body: '{"empty":true}' })).status).toBe(200);
      const bulk = await hook(t, B, 'bulk', { method: 'POST', body: JSON.stringify({ table: 'account', count: 10 }) });
      expect(bulk.status).toBe(200);
      // A is unaffected: no fault, no limit, the record is still there, the refresh token still redeems.
      for (let i = 0; i < 3; i++) {
        const res = await api(t, a.body.access_token ?? '', `accounts(${id})?$select=name`);
        expect(res.status).toBe(200);
        expect(((await res.json()) as { name: string }).name).toBe('A secret account');
      }
      const refreshed = await fetch(`${t.service}/login/${A}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: CREDS.client_id,
          client_secret: CREDS.client_secret,
          refresh_token: a.body.refresh_token ?? '',
        }),
      });
      expect(refreshed.status).toBe(200);
      // B's refresh token cannot be redeemed at A's tenant either.
      const crossTenant = await fetch(`${t.service}/login/${A}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: CREDS.client_id,
          client_secret: CREDS.client_secret,
          refresh_token: b.body.refresh_token ?? '',
        }),
      });
      expect(crossTenant.status).toBe(400);

      // The request log: B's shows none of A's calls, A's none of B's.
      const bLog = JSON.stringify((await hook(t, B, 'requests')).body);
      expect(bLog).not.toContain(id);
      const aLog = JSON.stringify((await hook(t, A, 'requests')).body);
      expect(aLog).toContain(id);
      expect(aLog).not.toContain('_sandbox');
      // Counts: B's org is B's own (reset empty + 10 bulk rows); A's keeps the seed and A's record.
      const aInfo = await hook(t, A, '');
      const bInfo = await hook(t, B, '');
      expect((bInfo.body.counts as Record<string, number>).account).toBe(10);
      expect((aInfo.body.counts as Record<string, number>).account).toBeGreaterThan(10);
      expect(aInfo.body.tenantId).toBe(A);
      // The shared default organization (the standalone sandbox's) holds nothing of A's either.
      expect(JSON.stringify((await hook(t, SANDBOX_TENANT_ID, 'requests')).body)).not.toContain(id);
    } finally {
      await t.close();
    }
  });
});
