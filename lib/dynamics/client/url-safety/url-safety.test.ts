import { describe, expect, it } from 'vitest';
import { checkIdentityEndpoint, checkServiceUrl } from './check-service-url';
import { classifyAddress } from './ip-ranges';
import { assertResolvesPublic, createGuardedLookup, type Resolver } from './resolve-public';

describe('classifyAddress', () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['::ffff:169.254.169.254', 'ipv4-mapped'],
    ['::ffff:a9fe:a9fe', 'ipv4-mapped'],
    ['::ffff:8.8.8.8', 'ipv4-mapped'],
    ['64:ff9b::a00:1', 'ipv4-mapped'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['8.8.8.8', 'public'],
    ['20.42.65.92', 'public'],
    ['2603:1030::1', 'public'],
    ['172.32.0.1', 'public'],
    ['256.1.1.1', 'invalid'],
    ['example.com', 'invalid'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });
});

describe('checkServiceUrl — SSRF table', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data',
    'https://169.254.169.254',
    'https://metadata.google.internal',
    'https://10.0.0.5',
    'https://192.168.0.10',
    'https://172.16.3.4',
    'https://127.1',
    'https://2130706433',
    'https://0x7f000001',
    'https://0177.0.0.1',
    'https://[::1]',
    'https://[::ffff:169.254.169.254]',
    'https://[fd00:ec2::254]',
    'file:///etc/passwd',
    'gopher://127.0.0.1:25/_HELO',
    'ftp://contoso.crm.dynamics.com',
    'javascript:alert(1)',
    'https://localhost',
    'http://localhost:3000/sandbox',
    'https://contoso.crm.dynamics.com@evil.com',
    'https://evil.com#@contoso.crm.dynamics.com',
    'https://contoso.crm.dynamics.com.evil.com',
    'https://evil-dynamics.com',
    'https://contoso.crm.dynamics.com\\@evil.com',
  ])('refuses %s', (url) => {
    const r = checkServiceUrl(url);
    expect(r.ok).toBe(false);
  });

  it('allows allow-listed local hosts (and only those)', () => {
    expect(checkServiceUrl('http://127.0.0.1:4010', { allowedHosts: ['127.0.0.1:4010'] })).toMatchObject({
      ok: true,
      kind: 'allow-listed',
    });
    expect(checkServiceUrl('http://127.0.0.1:4011', { allowedHosts: ['127.0.0.1:4010'] }).ok).toBe(false);
    expect(checkServiceUrl('http://localhost:3000/sandbox', { allowedHosts: ['localhost:3000'] })).toMatchObject({
      ok: true,
      kind: 'sandbox',
    });
    // The app's own origin is allowed only at its own port and only under /sandbox.
    const app = { allowedHosts: ['flows.example.com:443/sandbox'] };
    expect(checkServiceUrl('https://flows.example.com/sandbox', app)).toMatchObject({ ok: true, kind: 'sandbox' });
    expect(checkIdentityEndpoint('https://flows.example.com/sandbox/login/organizations', app)).toMatchObject({
      ok: true,
      kind: 'sandbox',
    });
    expect(checkServiceUrl('http://flows.example.com:6379/sandbox', app).ok).toBe(false);
    expect(checkServiceUrl('https://flows.example.com/api/tokens', app).ok).toBe(false);
    expect(checkIdentityEndpoint('https://flows.example.com/anything', app).ok).toBe(false);
    expect(checkServiceUrl('https://flows.example.com/sandboxes', app).ok).toBe(false);
  });

  it("treats the sandbox's second organization (/sandbox/org2) as the sandbox, with its own authority", async () => {
    const { defaultIdentityEndpoint } = await import('./check-service-url');
    const app = { allowedHosts: ['flows.example.com:443/sandbox'] };
    const second = checkServiceUrl('https://flows.example.com/sandbox/org2/', app);
    expect(second).toEqual({ ok: true, url: 'https://flows.example.com/sandbox/org2', kind: 'sandbox', host: 'flows.example.com' });
    // Its default authority is its own, not Microsoft's sign-in address nor the first organization's.
    expect(defaultIdentityEndpoint(second as { url: string; kind: 'sandbox' })).toBe(
      'https://flows.example.com/sandbox/org2/login/organizations',
    );
    expect(checkIdentityEndpoint('https://flows.example.com/sandbox/org2/login/8d3e1f20-6c4b-4d5a-9e72-1f6a9c4b3d82', app)).toMatchObject({
      ok: true,
      kind: 'sandbox',
    });
    // Only the organizations themselves: other paths under the mount are merely allowed, and nothing beside it is.
    for (const other of [
      'https://flows.example.com/sandbox/org3',
      'https://flows.example.com/sandbox/org2/api',
      'https://flows.example.com/sandbox/org22',
    ]) {
      expect(checkServiceUrl(other, app), other).toMatchObject({ ok: true, kind: 'allow-listed' });
    }
    expect(checkIdentityEndpoint('https://flows.example.com/sandbox/org2/other/login/x', app)).toMatchObject({ kind: 'allow-listed' });
    expect(checkServiceUrl('https://flows.example.com/org2', app).ok).toBe(false);
    expect(checkServiceUrl('https://flows.example.com/sandbox/org2', {}).ok).toBe(false);
  });
});

describe('assertResolvesPublic', () => {
  const resolverFor =
    (map: Record<string, string[]>): Resolver =>
    async (host) =>
      (map[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses a host resolving to a private address (any of its addresses)', async () => {
    const resolver = resolverFor({ 'contoso.crm.dynamics.com': ['20.42.65.92', '10.0.0.7'] });
    await expect(assertResolvesPublic('https://contoso.crm.dynamics.com', { resolver })).rejects.toMatchObject({ code: 'unsafe_url' });
  });

  it.each([['127.0.0.1'], ['169.254.169.254'], ['::1'], ['::ffff:10.0.0.1'], ['100.64.1.1'], ['fd00::1']])(
    'refuses resolution to %s',
    async (addr) => {
      const resolver = resolverFor({ 'x.crm.dynamics.com': [addr] });
      await expect(assertResolvesPublic('https://x.crm.dynamics.com', { resolver })).rejects.toMatchObject({ code: 'unsafe_url' });
    },
  );

  it('accepts public answers and allow-listed hosts', async () => {
    await expect(
      assertResolvesPublic('https://x.crm.dynamics.com', { resolver: resolverFor({ 'x.crm.dynamics.com': ['20.42.65.92'] }) }),
    ).resolves.toBeUndefined();
    await expect(assertResolvesPublic('http://localhost:3000/sandbox', { allowedHosts: ['localhost:3000'] })).resolves.toBeUndefined();
  });

  it('refuses the real localhost (system DNS)', async () => {
    await expect(assertResolvesPublic('https://localhost')).rejects.toMatchObject({ code: 'unsafe_url' });
  });

  it('guards at connect time: a rebinding answer is refused by the agent lookup', async () => {
    let calls = 0;
    const resolver: Resolver = async () => [{ address: calls++ === 0 ? '20.42.65.92' : '127.0.0.1', family: 4 }];
    const lookup = createGuardedLookup({ resolver });
    const once = () =>
      new Promise<string>((resolve, reject) =>
        lookup('rebind.crm.dynamics.com', {}, (err, address) => (err ? reject(err) : resolve(String(address)))),
      );
    await expect(once()).resolves.toBe('20.42.65.92');
    await expect(once()).rejects.toMatchObject({ code: 'unsafe_url' });
  });
});

describe('allow-list configuration', () => {
  it('parses DYNAMICS_ALLOWED_HOSTS and adds the app origin', async () => {
    const { allowedHostsFromConfig } = await import('./allowed-hosts');
    expect(
      allowedHostsFromConfig({ env: ' Sandbox.Internal:8443, http://127.0.0.1:4010/ x.test', appOrigin: 'http://localhost:3000' }),
    ).toEqual(['sandbox.internal:8443', '127.0.0.1:4010', 'x.test', 'localhost:3000']);
    expect(allowedHostsFromConfig({})).toEqual([]);
  });
});
