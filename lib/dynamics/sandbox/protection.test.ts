/**
 * Conformance: error envelopes, service protection limits, CORS for browser clients; and the
 * sandbox's own fault injection and request log, which tests use to simulate failures and to see what
 * a client sent.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 *        https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
 */
import { describe, expect, it } from 'vitest';
import { jsonBody, setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox({ config: { limits: { requests: 6000, concurrent: 52, windowSeconds: 300 }, maxBodyBytes: 16777216 } });

type Err = { error: { code: string; message: string } & Record<string, unknown> };

describe('errors', () => {
  it('malformed JSON → 400 0x80048d19 with the payload message', async () => {
    const r = await t.json<Err>('accounts', { method: 'POST', body: '{"name": ' });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
    expect(r.body.error.code).toBe('0x80048d19');
    expect(r.body.error.message).toMatch(
      /^Error identified in Payload provided by the user for Entity :'accounts' {2}----> {2}InnerException : Microsoft.OData.ODataException: Invalid JSON\./,
    );
  });
  it("unknown or mis-cased body property → 400 0x0 Invalid property 'Name'", async () => {
    const r = await t.json<Err>('accounts', { method: 'POST', ...jsonBody({ Name: 'x' }) });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('0x0');
    expect(r.body.error.message).toContain("Invalid property 'Name' was found in entity 'Microsoft.Dynamics.CRM.account'");
  });
  it('type, length and range validation', async () => {
    const len = await t.json<Err>('accounts', { method: 'POST', ...jsonBody({ name: 'x'.repeat(161) }) });
    expect(len.status).toBe(400);
    expect(len.body.error).toEqual({
      code: '0x80044331',
      message:
        "A validation error occurred. The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'.",
    });
    const range = await t.json<Err>('accounts', { method: 'POST', ...jsonBody({ name: 'x', accountcategorycode: 99 }) });
    expect(range.status).toBe(400);
    expect(range.body.error).toEqual({
      code: '0x8004431a',
      message:
        "A validation error occurred. The value 99 of 'accountcategorycode' on record of type 'account' is outside the valid range. Accepted Values: 1,2",
    });
    const type = await t.json<Err>('accounts', { method: 'POST', ...jsonBody({ name: 'x', numberofemployees: 'many' }) });
    expect(type.status).toBe(400);
    expect(type.body.error.message).toContain("Cannot convert the literal 'many' to the expected type 'Edm.Int32'.");
  });
  it('include-annotations="*" adds the CDS error-detail annotations', async () => {
    const r = await t.json<Err>('accounts(00000000-0000-0000-0000-000000000009)', { headers: { prefer: 'odata.include-annotations="*"' } });
    expect(r.status).toBe(404);
    expect(r.body.error['@Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionHttpStatusCode']).toBe('404');
    expect(r.body.error['@Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionMessageName']).toBe('ObjectDoesNotExist');
    expect(r.body.error['@Microsoft.PowerApps.CDS.HelpLink']).toContain('80040217');
  });
  it('oversized payloads → 413', async () => {
    await t.hook('config', { method: 'PUT', body: JSON.stringify({ maxBodyBytes: 2048 }) });
    const r = await t.call('accounts', { method: 'POST', ...jsonBody({ name: 'x', description: 'y'.repeat(4000) }) });
    expect(r.status).toBe(413);
  });
  it('PATCH on a collection → 405', async () => {
    expect((await t.call('accounts', { method: 'PATCH', ...jsonBody({ name: 'x' }) })).status).toBe(405);
  });
  it('CORS: preflight and exposed headers', async () => {
    const pre = await fetch(`${t.api}/accounts`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.local',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://app.local');
    const r = await t.call('WhoAmI', { headers: { origin: 'http://app.local' } });
    expect(r.headers.get('access-control-expose-headers')).toContain('OData-EntityId');
  });
});

describe('service protection', () => {
  it('the request limit per user answers 429 0x80072322 with Retry-After', async () => {
    await t.hook('config', { method: 'PUT', body: JSON.stringify({ limits: { requests: 5, windowSeconds: 60 } }) });
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 7; i++) {
      last = await t.call('WhoAmI');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await last?.json()) as Err;
    expect(body.error).toEqual({
      code: '0x80072322',
      message: 'Number of requests exceeded the limit of 5 over time window of 60 seconds.',
    });
  });
  it('the concurrency limit answers 429 0x80072326', async () => {
    await t.hook('config', { method: 'PUT', body: JSON.stringify({ limits: { concurrent: 2 } }) });
    await t.hook('faults', { method: 'PUT', body: JSON.stringify({ rules: [{ kind: 'delay', delayMs: 300 }] }) });
    const results = await Promise.all([0, 1, 2, 3].map(() => t.call('WhoAmI')));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429]);
    const limited = results.find((r) => r.status === 429);
    expect(((await limited?.json()) as Err).error.code).toBe('0x80072326');
    expect(limited?.headers.get('retry-after')).toBe('1');
  });
});

describe('fault injection and request log', () => {
  it('injects 429 with Retry-After, 503, then normal answers once the count is used up', async () => {
    await t.hook('faults', {
      method: 'PUT',
      body: JSON.stringify({
        rules: [
          { kind: '429', count: 1, retryAfterSeconds: 7 },
          { kind: '503', count: 1 },
        ],
      }),
    });
    const a = await t.call('WhoAmI');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('7');
    expect(((await a.json()) as Err).error.code).toBe('0x80072322');
    expect((await t.call('WhoAmI')).status).toBe(503);
    expect((await t.call('WhoAmI')).status).toBe(200);
    const f = (await (await t.hook('faults')).json()) as { injected: number };
    expect(f.injected).toBe(2);
  });
  it('a share of requests: rate 0.5 over 40 requests fails some but not all (seeded)', async () => {
    await t.hook('faults', { method: 'PUT', body: JSON.stringify({ rules: [{ kind: '503', rate: 0.5, path: '/WhoAmI' }], seed: 42 }) });
    let failed = 0;
    for (let i = 0; i < 40; i++) if ((await t.call('WhoAmI')).status === 503) failed++;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
    expect((await t.call('accounts?$top=1&$select=name')).status).toBe(200);
  });
  it('drops connections', async () => {
    await t.hook('faults', { method: 'PUT', body: JSON.stringify({ rules: [{ kind: 'drop', count: 1 }] }) });
    await expect(t.call('WhoAmI')).rejects.toThrow();
    expect((await t.call('WhoAmI')).status).toBe(200);
  });
  it('drops the connection after carrying out the request (drop_after): the write is committed, the answer lost', async () => {
    await t.hook('faults', { method: 'PUT', body: JSON.stringify({ rules: [{ kind: 'drop_after', count: 1, method: 'POST' }] }) });
    const id = '0b0e0d0c-0000-4000-8000-00000000d0a0';
    await expect(t.call('accounts', { method: 'POST', ...jsonBody({ accountid: id, name: 'Committed then lost' }) })).rejects.toThrow();
    const row = await t.call(`accounts(${id})?$select=name`);
    expect(row.status).toBe(200);
    expect(((await row.json()) as { name: string }).name).toBe('Committed then lost');
  });
  it('delays requests', async () => {
    await t.hook('faults', { method: 'PUT', body: JSON.stringify({ rules: [{ kind: 'delay', delayMs: 250, count: 1 }] }) });
    const start = Date.now();
    expect((await t.call('WhoAmI')).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(240);
  });
  it('the request log shows what the client sent, with secrets redacted', async () => {
    await t.hook('requests', { method: 'DELETE' });
    await t.call('accounts', {
      method: 'POST',
      headers: { 'if-none-match': '*', prefer: 'return=representation' },
      ...jsonBody({ name: 'Logged' }),
    });
    const log = (await (await t.hook('requests?path=/api/data/v9.2/accounts')).json()) as {
      value: Array<{ method: string; path: string; headers: Record<string, string>; body: string; status: number }>;
    };
    expect(log.value).toHaveLength(1);
    const e = log.value[0];
    expect(e?.method).toBe('POST');
    expect(e?.path).toBe('/api/data/v9.2/accounts');
    expect(e?.headers.prefer).toBe('return=representation');
    expect(e?.headers.authorization).toBe('Bearer ***');
    expect(JSON.parse(e?.body ?? '{}')).toEqual({ name: 'Logged' });
    expect(e?.status).toBe(201);
    const id = (await (await t.hook('requests?path=/login/')).json()) as { value: Array<{ body: string }> };
    for (const x of id.value) expect(x.body).not.toContain('sandbox-secret');
  });
  it('reset restores the seed organization', async () => {
    await t.call('accounts', { method: 'POST', ...jsonBody({ name: 'Temp' }) });
    expect(await (await t.call('accounts/$count')).text()).toBe('61');
    const r = (await (await t.hook('reset', { method: 'POST' })).json()) as { counts: Record<string, number> };
    expect(r.counts).toMatchObject({ account: 60, contact: 200, lead: 40, product: 20, salesorder: 15, invoice: 15 });
    expect(await (await t.call('accounts/$count')).text()).toBe('60');
  });
});
