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

describe("the second sandbox organization's shared authority", () => {
  it('means the user’s own organization there too, under /sandbox/org2, with the same tenant', () => {
    const tenant = sandboxTenantFor('user-alice');
    expect(ownSandboxAuthority(alice, `${origin}/sandbox/org2/login/organizations`)).toBe(`${origin}/sandbox/org2/login/${tenant}`);
    expect(ownSandboxAuthority(alice, `${origin}/sandbox/org2/login/common/`)).toBe(`${origin}/sandbox/org2/login/${tenant}`);
    expect(ownSandboxAuthority(bob, `${origin}/sandbox/org2/login/organizations`)).toBe(
      `${origin}/sandbox/org2/login/${sandboxTenantFor('user-bob')}`,
    );
    // Never swapped into the other organization, nor for look-alike paths.
    for (const other of [
      `${origin}/sandbox/org3/login/organizations`,
      `${origin}/sandbox/org2/login/consumers`,
      `http://localhost:4000/sandbox/org2/login/organizations`,
    ]) {
      expect(ownSandboxAuthority(alice, other)).toBe(other);
    }
  });

  it('recognises /sandbox/org2 as the sandbox and reads its stored accounts as the owner’s own', () => {
    expect(isSandboxService(alice, `${origin}/sandbox/org2`)).toBe(true);
    expect(isSandboxService(alice, `${origin}/sandbox/org2/`)).toBe(true);
    expect(isSandboxService(alice, `${origin}/sandbox/org3`)).toBe(false);
    const stored = { serviceUrl: `${origin}/sandbox/org2`, identityEndpoint: `${origin}/sandbox/org2/login/organizations` };
    expect(withOwnSandbox(alice, stored).identityEndpoint).toBe(`${origin}/sandbox/org2/login/${sandboxTenantFor('user-alice')}`);
  });
});
