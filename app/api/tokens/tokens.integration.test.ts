// Sessions and tokens end when they should, through the real route handlers with a real (SQLite)
// database: a session cookie replayed after sign-out is refused, and a token minted with a token
// can neither outlive it nor survive its revocation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'next-auth/jwt';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'dfd-tokens-'));
const secret = 'tokens-integration-secret';
let userId = '';

beforeAll(async () => {
  process.env.DATA_DIR = dataDir;
  process.env.NEXTAUTH_SECRET = secret;
  delete process.env.DATABASE_URL;
  delete process.env.NEXTAUTH_URL;
  const { getDb } = await import('@/lib/db/database');
  const { createUser } = await import('@/lib/db/repositories/users');
  userId = (await createUser(await getDb(), { email: 'tokens@example.com', name: 'Tokens', passwordHash: null })).id;
});

afterAll(async () => {
  const { closeDb } = await import('@/lib/db/database');
  await closeDb();
  rmSync(dataDir, { recursive: true, force: true });
});

type Handler = (r: NextRequest, c: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(
  method: string,
  path: string,
  auth: { cookie?: string; bearer?: string },
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { origin: 'http://localhost:3000', host: 'localhost:3000' };
  if (auth.cookie) headers.cookie = `next-auth.session-token=${auth.cookie}`;
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const req = new NextRequest(`http://localhost:3000${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const id = /^\/api\/tokens\/([^/]+)$/.exec(path)?.[1];
  const mod = (path === '/api/me'
    ? await import('../me/route')
    : id
      ? await import('./[id]/route')
      : await import('./route')) as unknown as Record<string, Handler>;
  const res = await mod[method]!(req, { params: Promise.resolve<Record<string, string>>(id ? { id } : {}) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown as Record<string, unknown>) : {} };
}

/** A session cookie as next-auth issues it at sign-in (the jwt callback records the session). */
async function signIn(): Promise<{ cookie: string; token: Record<string, unknown> }> {
  const { authOptions } = await import('@/lib/sign-in/auth-options');
  const token = (await authOptions.callbacks!.jwt!({
    token: { sub: userId },
    user: { id: userId, email: 'tokens@example.com' },
    account: { provider: 'credentials', type: 'credentials', providerAccountId: userId },
  })) as unknown as Record<string, unknown>;
  expect(typeof token.sid).toBe('string');
  return { cookie: await encode({ token, secret }), token };
}

it('a session cookie replayed after sign-out is 401 on the API', async () => {
  const { authOptions } = await import('@/lib/sign-in/auth-options');
  const { cookie, token } = await signIn();
  expect((await call('GET', '/api/me', { cookie })).status).toBe(200);
  await authOptions.events!.signOut!({ token, session: {} as never });
  const replayed = await call('GET', '/api/me', { cookie });
  expect(replayed.status).toBe(401);
  // The page side agrees: next-auth's session callback sees no user for a revoked session.
  expect(await authOptions.callbacks!.jwt!({ token } as never)).toEqual({});
});

it('"sign out everywhere" revokes every session of the user', async () => {
  const { revokeAllSessions } = await import('@/lib/db/repositories/sessions');
  const { getDb } = await import('@/lib/db/database');
  const a = await signIn();
  const b = await signIn();
  await revokeAllSessions(await getDb(), userId);
  expect((await call('GET', '/api/me', { cookie: a.cookie })).status).toBe(401);
  expect((await call('GET', '/api/me', { cookie: b.cookie })).status).toBe(401);
});

it('a cookie signed with the secret but naming no session is refused', async () => {
  const cookie = await encode({ token: { sub: userId }, secret });
  expect((await call('GET', '/api/me', { cookie })).status).toBe(401);
});

it('tokens expire by default; "never" is no longer accepted', async () => {
  const { cookie } = await signIn();
  const made = await call('POST', '/api/tokens', { cookie }, { name: 'default' });
  expect(made.status).toBe(201);
  const expiresAt = Date.parse((made.json.token as { expiresAt: string }).expiresAt);
  expect(Math.abs(expiresAt - (Date.now() + 90 * 86_400_000))).toBeLessThan(60_000);
  expect((await call('POST', '/api/tokens', { cookie }, { name: 'forever', expiresInDays: null })).status).toBe(400);
  expect((await call('POST', '/api/tokens', { cookie }, { name: 'too long', expiresInDays: 366 })).status).toBe(400);
});

it('a token minted with a token cannot outlive it, and dies with it', async () => {
  const { cookie } = await signIn();
  const parent = await call('POST', '/api/tokens', { cookie }, { name: 'parent', expiresInDays: 2 });
  const parentSecret = parent.json.secret as string;
  const parentToken = parent.json.token as { id: string; expiresAt: string };
  const child = await call('POST', '/api/tokens', { bearer: parentSecret }, { name: 'child', expiresInDays: 90 });
  expect(child.status).toBe(201);
  const childToken = child.json.token as { expiresAt: string };
  expect(Date.parse(childToken.expiresAt)).toBeLessThanOrEqual(Date.parse(parentToken.expiresAt));
  const childSecret = child.json.secret as string;
  const grandchild = await call('POST', '/api/tokens', { bearer: childSecret }, { name: 'grandchild' });
  expect((await call('GET', '/api/me', { bearer: childSecret })).status).toBe(200);

  expect((await call('DELETE', `/api/tokens/${parentToken.id}`, { cookie })).status).toBe(204);
  for (const bearer of [parentSecret, childSecret, grandchild.json.secret as string]) {
    const after = await call('GET', '/api/me', { bearer });
    expect(after.status).toBe(401);
    expect((after.json.error as { code: string }).code).toBe('invalid_token');
  }
});
