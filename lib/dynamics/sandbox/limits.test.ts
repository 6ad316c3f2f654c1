/**
 * Bounded growth and bounded reading: refresh grants, tombstones and the request log are capped
 * and pruned; `bulk` has a ceiling; bodies are limited while they are read (an endless body gets a
 * 413, it is never buffered); deeply nested JSON is a 400, never a 500.
 */
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GrantStore } from './identity/grants';
import { RequestLog } from './request-log';
import { OrgStore } from './store';
import { jsonDepthExceeds, MAX_BULK_ROWS, SMALL_BODY_BYTES } from './util/limits';
import { CREDS, jsonBody, passwordToken, setupTestSandbox, startSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox();

const grant = { clientId: 'c', objectId: 'o', scope: 's', audience: 'a' };

describe('refresh grants', () => {
  it('are capped: retired, revoked and expired grants go first, then the oldest', () => {
    const g = new GrantStore(undefined, { maxRefresh: 10, refreshLifetimeMs: () => 1000 });
    const tokens = Array.from({ length: 10 }, (_, i) => g.issueRefresh(grant, 10_000 + i));
    g.retire(tokens[3] ?? '');
    g.issueRefresh(grant, 10_100);
    expect(g.refreshCount).toBe(10);
    expect(g.findRefresh(tokens[3] ?? '')).toBeUndefined();
    expect(g.findRefresh(tokens[0] ?? '')).toBeDefined();
    // Nothing prunable left but age: the oldest issued goes.
    g.issueRefresh(grant, 10_200);
    expect(g.refreshCount).toBe(10);
    expect(g.findRefresh(tokens[0] ?? '')).toBeUndefined();
    // Idle past the lifetime: all of them are prunable.
    g.issueRefresh(grant, 50_000);
    expect(g.refreshCount).toBe(1);
  });

  it('are kept by hash only: neither memory nor the persisted folder holds a refresh token in plain text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-grants-'));
    try {
      const s = await startSandbox({ storage: { dir } });
      const tok = await passwordToken(s.service);
      const refresh = String(tok.refresh_token);
      s.sandbox.flush();
      await s.close();
      const files = ['sandbox.sqlite', 'sandbox.sqlite-wal', 'org.json'].flatMap((f) => {
        try {
          return [readFileSync(join(dir, f)).toString('latin1')];
        } catch {
          return [];
        }
      });
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(f).not.toContain(refresh);
      expect(JSON.stringify(s.sandbox.core.grants.serialize())).not.toContain(refresh);
      // It still redeems after a restart from the folder.
      const again = await startSandbox({ storage: { dir } });
      const res = await fetch(`${again.authority}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: CREDS.client_id,
          client_secret: CREDS.client_secret,
          refresh_token: refresh,
        }),
      });
      expect(res.status).toBe(200);
      again.sandbox.flush();
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('authorization codes are capped', () => {
    const g = new GrantStore(undefined, { maxCodes: 5 });
    const codes = Array.from({ length: 8 }, () =>
      g.issueCode({ ...grant, redirectUri: 'http://localhost/cb', expiresAt: Date.now() + 60_000 }),
    );
    expect(g.codeCount).toBeLessThanOrEqual(5);
    expect(g.findCode(codes[7] ?? '')).toBeDefined();
    expect(g.findCode(codes[0] ?? '')).toBeUndefined();
  });
});

describe('tombstones', () => {
  it('are capped per table; a delta token older than the pruned ones asks for a full sync', async () => {
    const store = new OrgStore();
    store.maxTombstones = 20;
    const before = store.version;
    for (let i = 0; i < 40; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      store.put('account', id, { accountid: id, name: `t${i}`, versionnumber: store.nextVersion() });
      store.remove('account', id);
    }
    expect(store.deletedSince('account', 0).length).toBeLessThanOrEqual(22);
    expect(store.prunedUpTo('account')).toBeGreaterThan(before);
  });

  it('past the retention period are dropped', () => {
    const store = new OrgStore();
    store.tombstoneRetentionMs = () => -1;
    const id = '00000000-0000-4000-8000-000000000001';
    store.put('account', id, { accountid: id, name: 'x', versionnumber: store.nextVersion() });
    store.remove('account', id);
    expect(store.deletedSince('account', 0)).toEqual([]);
  });

  it('the Web API refuses a delta token from before the pruned tombstones', async () => {
    const first = await t.call('accounts?$select=name', { headers: { Prefer: 'odata.track-changes' } });
    const link = String(((await first.json()) as Record<string, unknown>)['@odata.deltaLink']);
    t.sandbox.core.store.maxTombstones = 2;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.call('accounts', { method: 'POST', ...jsonBody({ name: `gone ${i}` }) });
      ids.push(/\(([0-9a-f-]{36})\)/.exec(res.headers.get('odata-entityid') ?? '')?.[1] ?? '');
    }
    for (const id of ids) expect((await t.call(`accounts(${id})`, { method: 'DELETE' })).status).toBe(204);
    const delta = await t.call(link, { headers: { Prefer: 'odata.track-changes' } });
    expect(delta.status).toBe(400);
    expect(JSON.stringify(await delta.json())).toContain('full sync');
  });
});

describe('request log', () => {
  it('is capped by entries and by bytes', () => {
    const log = new RequestLog(100, 50_000);
    for (let i = 0; i < 500; i++)
      log.add({ time: '', method: 'POST', path: `/x/${i}`, headers: {}, body: 'b'.repeat(1000), status: 200, durationMs: 0 });
    expect(log.size.bytes).toBeLessThanOrEqual(50_000);
    expect(log.size.entries).toBeLessThan(100);
    const all = log.query({}).value;
    expect(all.at(-1)?.path).toBe('/x/499');
    expect(log.query({}).last).toBe(500);
  });
});

describe('bulk', () => {
  it(`refuses more than ${MAX_BULK_ROWS} rows in one call and an unknown table`, async () => {
    const over = await t.hook('bulk', { method: 'POST', ...jsonBody({ table: 'account', count: MAX_BULK_ROWS + 1 }) });
    expect(over.status).toBe(400);
    const unknown = await t.hook('bulk', { method: 'POST', ...jsonBody({ table: 'nope', count: 1 }) });
    expect(unknown.status).toBe(400);
    const ok = await t.hook('bulk', { method: 'POST', ...jsonBody({ table: 'contact', count: 1200 }) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { created: number }).created).toBe(1200);
  });
});

/** Streams a chunked body without Content-Length until the server answers (or `maxBytes` is sent). */
function streamUntilAnswered(url: string, maxBytes: number): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    let sent = 0;
    let answered = false;
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const pump = (): void => {
      if (answered) return;
      if (sent >= maxBytes) {
        req.end();
        return;
      }
      sent += chunk.length;
      if (req.write(chunk)) setImmediate(pump);
      else req.once('drain', pump);
    };
    pump();
  });
}

describe('body limits, before buffering', () => {
  it('an endless identity body gets a 413 long before it ends', async () => {
    const r = await streamUntilAnswered(`${t.authority}/oauth2/v2.0/token`, 64 * 1024 * 1024);
    expect(r.status).toBe(413);
    expect(r.sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('an endless hook body gets a 413 long before it ends', async () => {
    const r = await streamUntilAnswered(`${t.service}/_sandbox/faults`, 64 * 1024 * 1024);
    expect(r.status).toBe(413);
    expect(r.sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('a declared identity body over the limit is refused without reading it; the Web API honours its configured limit', async () => {
    const big = await fetch(`${t.authority}/oauth2/v2.0/token`, { method: 'POST', body: 'x'.repeat(SMALL_BODY_BYTES + 1) });
    expect(big.status).toBe(413);
    await t.hook('config', { method: 'PUT', ...jsonBody({ maxBodyBytes: 4096 }) });
    const api = await t.call('accounts', { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(5000) }) });
    expect(api.status).toBe(413);
    const fits = await t.call('accounts', { method: 'POST', body: JSON.stringify({ name: 'fits' }) });
    expect(fits.status).toBe(204);
    await t.hook('config', { method: 'PUT', ...jsonBody({ maxBodyBytes: 16 * 1024 * 1024 }) });
  });

  it('Web handler: a streamed body without Content-Length over the limit is cancelled, not buffered', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
    });
    const req = new Request(`${t.service}/_sandbox/faults`, { method: 'PUT', body: stream, duplex: 'half' } as RequestInit);
    const res = await t.sandbox.handle(req);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(16);
  });
});

describe('deeply nested JSON', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  it('the depth scan ignores brackets in strings', () => {
    expect(jsonDepthExceeds('{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')).toBe(false);
    expect(jsonDepthExceeds(deep(65))).toBe(true);
    expect(jsonDepthExceeds(deep(64))).toBe(false);
  });

  it('is a 400 from the Web API and from the hooks, never a 500', async () => {
    const body = `{"name":"x","description":${deep(100_000)}}`;
    const api = await t.call('accounts', { method: 'POST', body });
    expect(api.status).toBe(400);
    const batchless = await t.call('accounts', { method: 'POST', body: `{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}` });
    expect(batchless.status).toBe(400);
    const hook = await t.hook('faults', { method: 'PUT', body: `{"rules":${deep(30_000)}}` });
    expect(hook.status).toBe(400);
  });
});
