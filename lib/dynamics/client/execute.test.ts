/**
 * The request pipeline with a fake clock and a scripted transport: delays follow the
 * policy exactly, Retry-After overrides and is shared by the account, 400/401/403/404/412 are not
 * retried, the in-flight count never exceeds the cap, a duplicate after a lost answer is success.
 */
import { describe, expect, it } from 'vitest';
import { TokenProvider } from './tokens/token-provider';
import { DataverseError } from './errors/dataverse-error';
import { createDataverseClient } from './create-client';
import { Executor } from './execute';
import { accountThrottle } from './throttle/account-registry';
import { backoffDelay, resolvePolicy } from './retry/policy';
import { AccountGate } from './throttle/account-gate';
import { AdaptiveLimiter, clampConcurrency } from './throttle/adaptive-limiter';
import { fakeClock, recordingPort } from '../../../test/support/client-fixtures';
import type { Transport, WireRequest, WireResponse } from './transport/http-transport';
import type { AccountConnection } from './types';

type Step = WireResponse | DataverseError | ((req: WireRequest) => Promise<WireResponse>);

const ok = (body = '{}', status = 200): WireResponse => ({ status, headers: new Headers({ 'content-type': 'application/json' }), body });
const fail = (status: number, code = '', headers: Record<string, string> = {}): WireResponse => ({
  status,
  headers: new Headers(headers),
  body: JSON.stringify({ error: { code, message: `status ${status}` } }),
});

function scripted(steps: Step[]): Transport & { requests: WireRequest[] } {
  const requests: WireRequest[] = [];
  return {
    requests,
    async send(req) {
      requests.push(req);
      const step = steps.shift() ?? ok();
      if (step instanceof DataverseError) throw step;
      if (typeof step === 'function') return step(req);
      return step;
    },
  };
}

const account: AccountConnection = {
  id: 'acc',
  serviceUrl: 'https://contoso.crm.dynamics.com',
  apiVersion: 'v9.2',
  identityEndpoint: 'https://login.microsoftonline.com/organizations',
  method: 'basic_oauth',
  clientId: 'c',
  secrets: { accessToken: 'token-1', accessTokenExpiresAt: '2999-01-01T00:00:00Z', refreshToken: 'r', clientSecret: 's' },
};

function executor(transport: Transport, opts: { cap?: number; retry?: Parameters<typeof resolvePolicy>[0]; random?: number } = {}) {
  const clock = fakeClock(1_700_000_000_000, opts.random ?? 0.5);
  const tokens = new TokenProvider(account, recordingPort(), { transport, clock });
  const throttle = { gate: new AccountGate(), limiter: new AdaptiveLimiter(opts.cap ?? 8) };
  const policy = resolvePolicy({ baseDelayMs: 1000, maxDelayMs: 30_000, ...opts.retry });
  const exec = new Executor({ apiRoot: 'https://contoso.crm.dynamics.com/api/data/v9.2/', transport, tokens, throttle, policy, clock });
  return { exec, clock, throttle, policy };
}

describe('retry schedule (fake clock)', () => {
  it('backs off exponentially with jitter bounds', () => {
    const p = resolvePolicy({ baseDelayMs: 1000, maxDelayMs: 5000, jitter: 0.5 });
    expect([1, 2, 3, 4].map((n) => backoffDelay(p, n, 0))).toEqual([1000, 2000, 4000, 5000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(p, n, 1))).toEqual([500, 1000, 2000, 2500]);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(p, 2, Math.random());
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });

  it('retries 503/500/408/network with exactly the policy delays, 4 tries in all', async () => {
    const t = scripted([fail(503), fail(500), DataverseError.local('network', 'ECONNRESET'), fail(408)]);
    const { exec, clock, policy } = executor(t, { random: 0.25 });
    await expect(exec.send({ method: 'GET', path: 'accounts' })).rejects.toMatchObject({ status: 408 });
    expect(t.requests).toHaveLength(4);
    expect(clock.sleeps).toEqual([1, 2, 3].map((n) => backoffDelay(policy, n, 0.25)));
    expect(clock.sleeps).toEqual([875, 1750, 3500]);
  });

  it('Retry-After overrides the backoff and closes the account gate for everyone', async () => {
    const t = scripted([fail(429, '0x80072322', { 'retry-after': '7' }), ok()]);
    const { exec, clock, throttle } = executor(t);
    const start = clock.now();
    await exec.send({ method: 'GET', path: 'accounts' });
    expect(clock.sleeps).toEqual([7000]);
    expect(throttle.gate.opensAt).toBe(start + 7000);
    expect(throttle.limiter.limit).toBe(4); // halved, recovers with successes
  });

  it.each([400, 403, 404, 405, 412, 413, 501])('does not retry %i', async (status) => {
    const t = scripted([fail(status, '0x80040217'), ok()]);
    const { exec, clock } = executor(t);
    await expect(exec.send({ method: 'GET', path: 'accounts' })).rejects.toMatchObject({ status, transient: false });
    expect(t.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('on 401 re-authenticates once, then gives up', async () => {
    // The refresh goes to the token endpoint through the same transport.
    const tokenAnswer = ok(JSON.stringify({ token_type: 'Bearer', access_token: 'token-2', refresh_token: 'r2', expires_in: 3600 }));
    const t = scripted([fail(401), tokenAnswer, fail(401), ok()]);
    const { exec } = executor(t);
    await expect(exec.send({ method: 'GET', path: 'WhoAmI' })).rejects.toMatchObject({ status: 401 });
    expect(t.requests.map((r) => r.url.replace(/^https:\/\/[^/]+/, ''))).toEqual([
      '/api/data/v9.2/WhoAmI',
      '/organizations/oauth2/v2.0/token',
      '/api/data/v9.2/WhoAmI',
    ]);
    expect(t.requests[0]?.headers.authorization).toBe('Bearer token-1');
    expect(t.requests[2]?.headers.authorization).toBe('Bearer token-2');
  });

  it('cancellation stops waiting at once', async () => {
    const t = scripted([fail(503), ok()]);
    const { exec } = executor(t);
    const ac = new AbortController();
    ac.abort();
    await expect(exec.send({ method: 'GET', path: 'accounts', signal: ac.signal })).rejects.toMatchObject({ code: 'aborted' });
    expect(t.requests).toHaveLength(0);
  });
});

describe('keyed writes (a retry after a lost answer never duplicates)', () => {
  const duplicate = fail(412, '0x80040237');
  const settle = (e: DataverseError) => (e.code === '0x80040237' ? ok('', 204) : null);

  it('a duplicate after a lost answer is success', async () => {
    const t = scripted([DataverseError.local('network', 'socket hang up'), duplicate]);
    const { exec } = executor(t);
    await expect(
      exec.send({ method: 'POST', path: 'accounts', body: { accountid: 'x' }, afterUnknownOutcome: settle }),
    ).resolves.toMatchObject({ status: 204 });
    expect(t.requests).toHaveLength(2);
    expect(t.requests[0]?.body).toBe(t.requests[1]?.body); // the same client-generated key
  });

  it('a token failure before sending does not make a later duplicate look like success', async () => {
    const expired = { ...account, id: 'acc-expired', secrets: { ...account.secrets, accessTokenExpiresAt: '2000-01-01T00:00:00Z' } };
    const tokenAnswer = ok(JSON.stringify({ token_type: 'Bearer', access_token: 'token-2', refresh_token: 'r2', expires_in: 3600 }));
    const t = scripted([DataverseError.local('network', 'ECONNRESET'), tokenAnswer, duplicate]);
    const clock = fakeClock();
    const exec = new Executor({
      apiRoot: 'https://contoso.crm.dynamics.com/api/data/v9.2/',
      transport: t,
      tokens: new TokenProvider(expired, recordingPort(), { transport: t, clock }),
      throttle: { gate: new AccountGate(), limiter: new AdaptiveLimiter(8) },
      policy: resolvePolicy({ baseDelayMs: 1 }),
      clock,
    });
    await expect(exec.send({ method: 'POST', path: 'accounts', body: {}, afterUnknownOutcome: settle })).rejects.toMatchObject({
      status: 412,
    });
    expect(t.requests.map((r) => new URL(r.url).pathname)).toEqual([
      '/organizations/oauth2/v2.0/token',
      '/organizations/oauth2/v2.0/token',
      '/api/data/v9.2/accounts',
    ]);
  });

  it('a duplicate on the first try is a real conflict', async () => {
    const t = scripted([duplicate]);
    const { exec } = executor(t);
    await expect(exec.send({ method: 'POST', path: 'accounts', body: {}, afterUnknownOutcome: settle })).rejects.toMatchObject({
      status: 412,
    });
  });
});

describe('concurrency cap', () => {
  it('clamps to 1..52, default 8', () => {
    expect([undefined, 0, 8, 52, 53, 500].map((n) => clampConcurrency(n))).toEqual([8, 1, 8, 52, 52, 52]);
  });

  it('never has more than the cap in flight over 500 queued calls', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = async (): Promise<WireResponse> => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return ok();
    };
    const t = scripted(Array.from({ length: 500 }, () => slow));
    const { exec } = executor(t, { cap: 8 });
    await Promise.all(Array.from({ length: 500 }, () => exec.send({ method: 'GET', path: 'accounts' })));
    expect(peak).toBe(8);
  });

  it('is shared by every client of the account', async () => {
    let inFlight = 0;
    let peak = 0;
    const transport: Transport = {
      async send() {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return ok('{"UserId":"00000000-0000-0000-0000-000000000001"}');
      },
    };
    const shared = { ...account, id: `shared-${crypto.randomUUID()}` };
    const a = createDataverseClient(shared, recordingPort(), { transport, concurrency: 3 });
    const b = createDataverseClient(shared, recordingPort(), { transport, concurrency: 3 });
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).whoAmI()));
    expect(peak).toBe(3);
    expect(accountThrottle(shared.id).limiter.peak).toBe(3);
  });

  it('backs off after 429 and ramps back up to the cap', async () => {
    const limiter = new AdaptiveLimiter(8, 4);
    limiter.onThrottled();
    limiter.onThrottled();
    expect(limiter.limit).toBe(2);
    for (let i = 0; i < 24; i++) limiter.onSuccess();
    expect(limiter.limit).toBe(8);
  });
});

describe('token safety', () => {
  it('refuses links outside the account root (no token sent)', async () => {
    const t = scripted([]);
    const { exec } = executor(t);
    await expect(exec.send({ method: 'GET', path: 'https://evil.example/api/data/v9.2/accounts' })).rejects.toMatchObject({
      code: 'unsafe_url',
    });
    await expect(
      exec.send({ method: 'GET', path: 'https://contoso.crm.dynamics.com.evil.example/api/data/v9.2/accounts' }),
    ).rejects.toMatchObject({ code: 'unsafe_url' });
    expect(t.requests).toHaveLength(0);
  });

  it('does not follow redirects', async () => {
    const t = scripted([{ status: 302, headers: new Headers({ location: 'https://evil.example/' }), body: '' }]);
    const { exec } = executor(t);
    await expect(exec.send({ method: 'GET', path: 'accounts' })).rejects.toMatchObject({ code: 'redirect' });
    expect(t.requests).toHaveLength(1);
  });
});
