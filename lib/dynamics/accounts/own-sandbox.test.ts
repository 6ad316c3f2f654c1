import { beforeAll, describe, expect, it } from 'vitest';
import { isSandboxService, ownSandboxAuthority, withOwnSandbox } from './own-sandbox';
import { isSandboxTenant, sandboxTenantFor } from './sandbox-tenant';

const origin = 'http://localhost:3000';
const alice = { ownerId: 'user-alice', appOrigin: origin };
const bob = { ownerId: 'user-bob', appOrigin: origin };

beforeAll(() => {
  process.env.SANDBOX_TENANT_SECRET = 'own-sandbox-test-secret';
});

describe("the sandbox's shared authority means the user's own organization", () => {
  it('swaps organizations and common for the user’s tenant, and nothing else', () => {
    const own = ownSandboxAuthority(alice, `${origin}/sandbox/login/organizations`);
    expect(own).toBe(`${origin}/sandbox/login/${sandboxTenantFor('user-alice')}`);
    expect(isSandboxTenant(own.split('/').pop() ?? '')).toBe(true);
    expect(ownSandboxAuthority(alice, `${origin}/sandbox/login/common/`)).toBe(own);
    expect(ownSandboxAuthority(bob, `${origin}/sandbox/login/organizations`)).not.toBe(own);
    for (const other of ['https://login.microsoftonline.com/organizations', `http://localhost:4000/sandbox/login/organizations`, own]) {
      expect(ownSandboxAuthority(alice, other)).toBe(other);
    }
  });

  it('reads an account stored before per-user sandboxes as the owner’s own', () => {
    const stored = { id: 'a1', serviceUrl: `${origin}/sandbox`, identityEndpoint: `${origin}/sandbox/login/organizations` };
    expect(withOwnSandbox(alice, stored)).toEqual({ ...stored, identityEndpoint: ownSandboxAuthority(alice, stored.identityEndpoint) });
    const dynamics = {
      id: 'a2',
      serviceUrl: 'https://o.crm.dynamics.com',
      identityEndpoint: 'https://login.microsoftonline.com/organizations',
    };
    expect(withOwnSandbox(alice, dynamics)).toBe(dynamics);
    expect(isSandboxService(alice, `${origin}/sandbox/`)).toBe(true);
    expect(isSandboxService(alice, 'https://o.crm.dynamics.com')).toBe(false);
  });
});
