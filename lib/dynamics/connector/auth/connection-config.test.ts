import { describe, expect, it } from 'vitest';
import type { AuthMethod } from '../../client/types';
import { checkConnection, normalizeApiVersion, toAccountConnection } from './connection-config';

const allowedHosts = ['localhost:3000', '127.0.0.1'];
/** checkConnection over `{ method, ...values }`, answered in zod's safeParse shape so each case reads as before. */
const parse = (input: Record<string, unknown>) => {
  const { method, ...values } = input as { method: AuthMethod } & Record<string, string | undefined>;
  const r = checkConnection(method, values, { allowedHosts });
  return r.ok
    ? { success: true as const, data: r.config }
    : { success: false as const, error: { issues: r.issues.map((i) => ({ path: [i.field], message: i.message })) } };
};
const password = { method: 'password', clientId: 'c', clientSecret: 's', username: 'u@x.com', password: 'p' };

describe('normalizeApiVersion', () => {
  it.each([
    ['v9.2', 'v9.2'],
    ['9.1', 'v9.1'],
    [' V9.0 ', 'v9.0'],
    ['', 'v9.2'],
    [undefined, 'v9.2'],
    ['v8.2', null],
    ['9', null],
    ['v9.1.0', null],
    ['latest', null],
  ])('%s → %s', (input, expected) => {
    expect(normalizeApiVersion(input)).toBe(expected);
  });
});

describe('checkConnection', () => {
  it.each([
    ['https://contoso.crm.dynamics.com', 'https://contoso.crm.dynamics.com', 'https://login.microsoftonline.com/organizations'],
    ['  https://Contoso.CRM4.dynamics.com/ ', 'https://contoso.crm4.dynamics.com', 'https://login.microsoftonline.com/organizations'],
    ['https://contoso.crm21.dynamics.com//', 'https://contoso.crm21.dynamics.com', 'https://login.microsoftonline.com/organizations'],
    ['https://contoso.api.crm.dynamics.com', 'https://contoso.api.crm.dynamics.com', 'https://login.microsoftonline.com/organizations'],
    [
      'https://contoso.crm.microsoftdynamics.de',
      'https://contoso.crm.microsoftdynamics.de',
      'https://login.microsoftonline.de/organizations',
    ],
    ['https://contoso.crm.dynamics.cn', 'https://contoso.crm.dynamics.cn', 'https://login.chinacloudapi.cn/organizations'],
    ['https://contoso.crm.appsplatform.us', 'https://contoso.crm.appsplatform.us', 'https://login.microsoftonline.us/organizations'],
    ['http://localhost:3000/sandbox/', 'http://localhost:3000/sandbox', 'http://localhost:3000/sandbox/login/organizations'],
  ])('service URL %j normalises to %s with authority %s', (serviceUrl, url, authority) => {
    const r = parse({ method: 'auth_code', serviceUrl });
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data.serviceUrl).toBe(url);
    expect(r.data.identityEndpoint).toBe(authority);
    expect(r.data.apiVersion).toBe('v9.2');
  });

  it('recognises the sandbox only on an allowed host', () => {
    const ok = parse({ method: 'auth_code', serviceUrl: 'http://localhost:3000/sandbox' });
    expect(ok.success && ok.data.serviceKind).toBe('sandbox');
    expect(parse({ method: 'auth_code', serviceUrl: 'http://evil.example/sandbox' }).success).toBe(false);
    expect(parse({ method: 'auth_code', serviceUrl: 'http://localhost:4000/sandbox' }).success).toBe(false);
  });

  it.each([
    'http://contoso.crm.dynamics.com',
    'https://contoso.crm.dynamics.com.evil.io',
    'https://dynamics.com',
    'https://contoso.crm.dynamics.com/main.aspx',
    'https://contoso.crm.dynamics.com?x=1',
    'https://u:p@contoso.crm.dynamics.com',
    'file:///etc/passwd',
    'gopher://contoso.crm.dynamics.com',
    'not a url',
    '',
    'https://contoso.crm.dynamics.com:8443',
  ])('refuses service URL %j', (serviceUrl) => {
    expect(parse({ method: 'auth_code', serviceUrl }).success).toBe(false);
  });

  it('accepts the API version as 9.1 or v9.1 and refuses others', () => {
    const a = parse({ method: 'auth_code', serviceUrl: 'https://o.crm.dynamics.com', apiVersion: '9.1' });
    expect(a.success && a.data.apiVersion).toBe('v9.1');
    const b = parse({ method: 'auth_code', serviceUrl: 'https://o.crm.dynamics.com', apiVersion: 'v10' });
    expect(b.success).toBe(false);
    if (!b.success) expect(b.error.issues[0]?.path).toEqual(['apiVersion']);
  });

  it('validates an overridden identity endpoint', () => {
    const ok = parse({
      method: 'auth_code',
      serviceUrl: 'https://o.crm.dynamics.com',
      identityEndpoint: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/',
    });
    expect(ok.success && ok.data.identityEndpoint).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com');
    for (const identityEndpoint of [
      'https://login.evil.com/organizations',
      'http://login.microsoftonline.com/organizations',
      'https://login.microsoftonline.com/a/b',
    ]) {
      expect(parse({ method: 'auth_code', serviceUrl: 'https://o.crm.dynamics.com', identityEndpoint }).success).toBe(false);
    }
  });

  it('requires the method-specific fields', () => {
    const base = { serviceUrl: 'https://o.crm.dynamics.com' };
    const basic = parse({ ...base, method: 'basic_oauth', clientId: 'c' });
    expect(basic.success).toBe(false);
    if (!basic.success) expect(basic.error.issues.map((i) => i.path[0]).sort()).toEqual(['accessToken', 'clientSecret', 'refreshToken']);
    const pw = parse({ ...base, method: 'password', clientId: 'c', clientSecret: 's', username: ' ' });
    expect(pw.success).toBe(false);
    if (!pw.success) expect(pw.error.issues.map((i) => i.path[0]).sort()).toEqual(['password', 'username']);
    const ok = parse({ ...base, ...password });
    expect(ok.success).toBe(true);
    if (ok.success) {
      // Secrets are split from plain settings by the description; the client still gets all it needs.
      expect(ok.data.secrets).toEqual({ clientSecret: 's', password: 'p' });
      expect(ok.data.settings).toEqual({ clientId: 'c', username: 'u@x.com' });
      expect(toAccountConnection('a1', ok.data)).toMatchObject({
        id: 'a1',
        clientId: 'c',
        method: 'password',
        apiVersion: 'v9.2',
        secrets: { clientSecret: 's', username: 'u@x.com', password: 'p' },
      });
    }
  });

  it('never echoes secrets in error messages', () => {
    const r = parse({ ...password, serviceUrl: 'https://10.0.0.1', password: 'canary-7f3a' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error)).not.toContain('canary-7f3a');
  });
});
