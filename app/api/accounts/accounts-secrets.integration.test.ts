// A canary secret for the Catalog's API (it must never come back in any answer or log), through the real route handlers with a real (SQLite)
// database and the sandbox over HTTP: after connecting with two methods, testing, renaming and
// updating credentials, no secret the server holds — typed ones and the tokens it obtained and
// rotated itself — appears in any response body or in anything logged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { CREDS, startSandbox, type TestSandbox } from '@/test/support/sandbox';

const dataDir = mkdtempSync(join(tmpdir(), 'dfd-accounts-'));
let sandbox: TestSandbox;
let bearer = '';
let ownerId = '';
const logged: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
  }
  const { getDb } = await import('@/lib/db/database');
  const { createUser } = await import('@/lib/db/repositories/users');
  const { createApiToken } = await import('@/lib/db/repositories/api-tokens');
  const { generateApiToken } = await import('@/lib/sign-in/api-token');
  const db = await getDb();
  const user = await createUser(db, { email: 'canary@example.com', name: 'Canary', passwordHash: null });
  ownerId = user.id;
  const { token, prefix, tokenHash } = generateApiToken();
  await createApiToken(db, user.id, { name: 't', tokenHash, prefix, expiresAt: null });
  bearer = token;
});

afterAll(async () => {
  vi.restoreAllMocks();
  const { closeDb } = await import('@/lib/db/database');
  await closeDb();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const bodies: string[] = [];

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const req = new NextRequest(`http://localhost:3000${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const url = new URL(req.url);
  const segments = url.pathname.split('/').filter(Boolean);
  type Handler = (r: NextRequest, c: { params: Promise<Record<string, string>> }) => Promise<Response>;
  const routes: Record<string, () => Promise<Record<string, unknown>>> = {
    'api/accounts': () => import('./route'),
    'api/accounts/generate-tokens': () => import('./generate-tokens/route'),
    'api/accounts/[id]': () => import('./[id]/route'),
    'api/accounts/[id]/test': () => import('./[id]/test/route'),
    'api/connectors/[id]': () => import('../connectors/[id]/route'),
  };
  const isId = (s: string | undefined) => Boolean(s && /^[0-9A-Z]{26}$/.test(s));
  const key = segments.map((s, i) => ((i === 2 && isId(s)) || (segments[1] === 'connectors' && i === 2) ? '[id]' : s)).join('/');
  const mod = await routes[key]!();
  const handler = mod[method] as Handler;
  const params: Record<string, string> = segments[2] ? { id: segments[2] } : {};
  const res = await handler(req, { params: Promise.resolve(params) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

it('no secret held by the server reaches a response or a log', async () => {
  const password = await call('POST', '/api/accounts', {
    method: 'password',
    serviceUrl: sandbox.service,
    clientId: CREDS.client_id,
    clientSecret: CREDS.client_secret,
    username: CREDS.username,
    password: CREDS.password,
  });
  expect(password.status).toBe(201);
  const passwordId = (password.json.account as { id: string }).id;

  const generated = await call('POST', '/api/accounts/generate-tokens', {
    serviceUrl: sandbox.service,
    clientId: CREDS.client_id,
    clientSecret: CREDS.client_secret,
    username: CREDS.username,
    password: CREDS.password,
  });
  expect(generated.status).toBe(200);
  const basic = await call('POST', '/api/accounts', {
    method: 'basic_oauth',
    serviceUrl: sandbox.service,
    clientId: CREDS.client_id,
    clientSecret: CREDS.client_secret,
    generatedTokens: generated.json.grant,
  });
  expect(basic.status).toBe(201);
  const basicId = (basic.json.account as { id: string }).id;

  for (const id of [passwordId, basicId]) expect((await call('POST', `/api/accounts/${id}/test`)).json.ok).toBe(true);
  expect((await call('PATCH', `/api/accounts/${basicId}`, { name: 'Renamed' })).status).toBe(200);
  expect(
    (await call('PATCH', `/api/accounts/${passwordId}`, { credentials: { method: 'password', password: CREDS.password } })).status,
  ).toBe(200);
  expect(
    (await call('PATCH', `/api/accounts/${passwordId}`, { credentials: { method: 'password', password: 'wrong-password-canary' } })).status,
  ).toBe(422);
  expect((await call('GET', '/api/accounts')).status).toBe(200);
  expect((await call('GET', `/api/accounts/${basicId}`)).status).toBe(200);
  expect((await call('GET', `/api/connectors/dynamics?account=${passwordId}&details=0`)).status).toBe(200);

  const { getDb } = await import('@/lib/db/database');
  const { readAccountSecrets } = await import('@/lib/db/repositories/accounts');
  const db = await getDb();
  const held = [await readAccountSecrets(db, ownerId, passwordId), await readAccountSecrets(db, ownerId, basicId)];
  const canaries = new Set<string>(['wrong-password-canary', CREDS.client_secret]);
  for (const secrets of held) {
    for (const [field, value] of Object.entries(secrets ?? {})) {
      // The sandbox password ('sandbox') is also part of every sandbox URL, so it cannot be a canary;
      // the password path is covered by 'wrong-password-canary' above.
      if (['accessToken', 'refreshToken', 'clientSecret', 'password'].includes(field) && value !== CREDS.password) canaries.add(value);
    }
  }
  expect(canaries.size).toBeGreaterThanOrEqual(5);
  const everything = [...bodies, ...logged].join('\n');
  expect(everything).toContain('•••• set');
  for (const canary of canaries) expect(everything.includes(canary), `leaked: ${canary.slice(0, 8)}…`).toBe(false);
});
