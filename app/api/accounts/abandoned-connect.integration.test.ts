// A connect that the browser abandons stops there: the route hands the request's abort signal to
// the accounts use case and on to the verification, so a WhoAmI retry scheduled after a 503 is
// never sent. Real route handler, real (SQLite) database, the sandbox over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { CREDS, startSandbox, type TestSandbox } from '@/test/support/sandbox';

const dataDir = mkdtempSync(join(tmpdir(), 'dfd-abandoned-'));
let sandbox: TestSandbox;
let bearer = '';

beforeAll(async () => {
  sandbox = await startSandbox();
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
  const { getDb } = await import('@/lib/db/database');
  const { createUser } = await import('@/lib/db/repositories/users');
  const { createApiToken } = await import('@/lib/db/repositories/api-tokens');
  const { generateApiToken } = await import('@/lib/sign-in/api-token');
  const db = await getDb();
  const user = await createUser(db, { email: 'abandon@example.com', name: 'Abandon', passwordHash: null });
  const { token, prefix, tokenHash } = generateApiToken();
  await createApiToken(db, user.id, { name: 't', tokenHash, prefix, expiresAt: null });
  bearer = token;
});

afterAll(async () => {
  const { closeDb } = await import('@/lib/db/database');
  await closeDb();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const RETRY_AFTER_SECONDS = 2;

beforeEach(async () => {
  await sandbox.hook('reset', { method: 'POST' });
  // Every WhoAmI answers 503 with Retry-After: the verification's one retry waits for it.
  const faults = await sandbox.hook('faults', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules: [{ kind: '503', path: 'WhoAmI', retryAfterSeconds: RETRY_AFTER_SECONDS }] }),
  });
  expect(faults.status).toBe(200);
});

async function whoAmICalls(): Promise<number> {
  const res = await sandbox.hook('requests?path=WhoAmI');
  return ((await res.json()) as { value: unknown[] }).value.length;
}

function connect(signal?: AbortSignal): Promise<Response> {
  const req = new NextRequest('http://localhost:3000/api/accounts', {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      method: 'password',
      name: `Abandoned ${Math.random()}`,
      serviceUrl: sandbox.service,
      clientId: CREDS.client_id,
      clientSecret: CREDS.client_secret,
      username: CREDS.username,
      password: CREDS.password,
    }),
    ...(signal ? { signal } : {}),
  });
  return import('./route').then((mod) => mod.POST(req, { params: Promise.resolve({}) }));
}

it('without an abort, the verification retries WhoAmI once after Retry-After (the control)', async () => {
  const res = await connect();
  expect(res.status).toBe(422);
  expect(await whoAmICalls()).toBe(2);
});

it('an aborted connect request stops the verification: the scheduled retry is never sent', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const answer = connect(controller.signal);
  while ((await whoAmICalls()) < 1) {
    if (Date.now() - started > 10_000) throw new Error('WhoAmI was never called');
    await new Promise((r) => setTimeout(r, 20));
  }
  controller.abort();
  const res = await answer;
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(Date.now() - started).toBeLessThan(RETRY_AFTER_SECONDS * 1000);
  // Well past the Retry-After: still the one WhoAmI.
  await new Promise((r) => setTimeout(r, RETRY_AFTER_SECONDS * 1000 + 500));
  expect(await whoAmICalls()).toBe(1);
});
