/**
 * The SSRF guard with capture servers over real HTTP: the bearer token never reaches a host outside the
 * allow-list — not through a 302, not through a nextLink, not through the token endpoint's
 * redirect — and hosts resolving to private addresses are refused at connect time.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataverseClient } from '../create-client';
import { recordingPort } from '../../../../test/support/client-fixtures';
import type { AccountConnection } from '../types';

interface Capture {
  server: Server;
  origin: string;
  host: string;
  seen: { url: string; authorization?: string; body: string }[];
  reply: (req: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: string };
}

async function capture(reply: Capture['reply']): Promise<Capture> {
  const c = { seen: [], reply } as unknown as Capture;
  c.server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      c.seen.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
      const r = c.reply(req);
      res.writeHead(r.status, r.headers ?? {});
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((resolve) => c.server.listen(0, '127.0.0.1', resolve));
  const port = (c.server.address() as AddressInfo).port;
  c.host = `localhost:${port}`;
  c.origin = `http://${c.host}`;
  return c;
}

const TOKEN = 'eyJhbGciOiJub25lIn0.eyJjYW5hcnkiOiJ0b2tlbi1sZWFrIn0.canary';

let attacker: Capture;
let dynamics: Capture;
let next: { status: number; headers?: Record<string, string>; body?: string };

beforeAll(async () => {
  attacker = await capture(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"value":[]}' }));
  dynamics = await capture(() => next);
});
afterAll(async () => {
  await Promise.all([attacker, dynamics].map((c) => new Promise((r) => c.server.close(r))));
});

function account(overrides: Partial<AccountConnection> = {}): AccountConnection {
  return {
    id: `leak-${crypto.randomUUID()}`,
    serviceUrl: dynamics.origin,
    apiVersion: 'v9.2',
    identityEndpoint: `${dynamics.origin}/login/organizations`,
    method: 'basic_oauth',
    clientId: 'c',
    secrets: {
      accessToken: TOKEN,
      accessTokenExpiresAt: '2999-01-01T00:00:00Z',
      refreshToken: 'refresh-canary',
      clientSecret: 'secret-canary',
    },
    ...overrides,
  };
}

const client = (a = account()) =>
  createDataverseClient(a, recordingPort(), { allowedHosts: [dynamics.host], retry: { maxAttempts: 2, baseDelayMs: 1 } });

describe('no token leaves for a non-allowed host', () => {
  it('a 302 to another host is not followed', async () => {
    next = { status: 302, headers: { location: `${attacker.origin}/steal` } };
    await expect(client().whoAmI()).rejects.toMatchObject({ code: 'redirect' });
    expect(dynamics.seen.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(attacker.seen).toEqual([]);
  });

  it('a nextLink to another host is not followed', async () => {
    next = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [{ name: 'a' }], '@odata.nextLink': `${attacker.origin}/api/data/v9.2/accounts?$skiptoken=1` }),
    };
    const pages = client()
      .retrievePages('accounts', { select: ['name'] })
      [Symbol.asyncIterator]();
    await expect(pages.next()).resolves.toMatchObject({ done: false });
    await expect(pages.next()).rejects.toMatchObject({ code: 'unsafe_url' });
    expect(attacker.seen).toEqual([]);
  });

  it('the token endpoint’s redirect is not followed with the refresh token', async () => {
    next = { status: 307, headers: { location: `${attacker.origin}/token` } };
    const a = account({ secrets: { refreshToken: 'refresh-canary', clientSecret: 'secret-canary' } });
    await expect(client(a).whoAmI()).rejects.toMatchObject({ code: 'token_endpoint', transient: false });
    expect(dynamics.seen.at(-1)?.url).toBe('/login/organizations/oauth2/v2.0/token');
    expect(attacker.seen).toEqual([]);
  });

  it('no secret appears in errors (canaries): refused token, dead refresh token, network failure', async () => {
    const canaries = [TOKEN, 'refresh-canary', 'secret-canary'];
    const errors: unknown[] = [];
    next = { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } };
    errors.push(
      await client()
        .whoAmI()
        .catch((e: unknown) => e),
    );
    next = {
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        error: 'invalid_grant',
        error_codes: [70000],
        error_description: 'AADSTS70000: Provided grant is invalid or malformed.',
      }),
    };
    errors.push(
      await client(account({ secrets: { refreshToken: 'refresh-canary', clientSecret: 'secret-canary' } }))
        .whoAmI()
        .catch((e: unknown) => e),
    );
    const closedPort = createDataverseClient(
      account({ serviceUrl: 'http://localhost:1', identityEndpoint: 'http://localhost:1/login/organizations' }),
      recordingPort(),
      { allowedHosts: ['localhost:1'], retry: { maxAttempts: 2, baseDelayMs: 1 } },
    );
    errors.push(await closedPort.whoAmI().catch((e: unknown) => e));
    // The 401 triggers one re-authentication, which this fake token endpoint also refuses.
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['invalid_token', 'invalid_grant', 'network']);
    for (const e of errors) {
      const text = `${JSON.stringify(e)} ${String((e as Error).message)} ${String((e as Error).stack)}`;
      for (const canary of canaries) expect(text).not.toContain(canary);
    }
  });

  it('a service URL outside the allow-list gets no request at all', () => {
    expect(() =>
      createDataverseClient(account({ serviceUrl: attacker.origin }), recordingPort(), { allowedHosts: [dynamics.host] }),
    ).toThrow(/not a Dynamics 365 host|https/);
    expect(attacker.seen).toEqual([]);
  });

  it.each([['127.0.0.1'], ['10.1.2.3'], ['169.254.169.254'], ['::1']])(
    'a Dynamics host resolving to %s is refused at connect time',
    async (address) => {
      const c = createDataverseClient(
        account({ serviceUrl: 'https://contoso.crm.dynamics.com', identityEndpoint: 'https://login.microsoftonline.com/organizations' }),
        recordingPort(),
        {
          resolver: async () => [{ address, family: address.includes(':') ? 6 : 4 }],
          retry: { maxAttempts: 1 },
        },
      );
      await expect(c.whoAmI()).rejects.toMatchObject({ code: 'unsafe_url' });
    },
  );
});
