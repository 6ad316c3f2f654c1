// GET /api/connectors and /api/connectors/[id] through the real route handlers: bearer-token auth,
// a real (SQLite) database with an account of the caller pointing at the sandbox over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDS, startSandbox, type TestSandbox } from '@/test/support/sandbox';

const dataDir = mkdtempSync(join(tmpdir(), 'dfd-connectors-'));
let sandbox: TestSandbox;
let bearer = '';
let otherBearer = '';
let accountId = '';

beforeAll(async () => {
  sandbox = await startSandbox();
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
  const { getDb } = await import('@/lib/db/database');
  const { createUser } = await import('@/lib/db/repositories/users');
  const { createApiToken } = await import('@/lib/db/repositories/api-tokens');
  const { generateApiToken } = await import('@/lib/sign-in/api-token');
  const { createAccount } = await import('@/lib/db/repositories/accounts');
  const db = await getDb();
  const tokenFor = async (email: string) => {
    const user = await createUser(db, { email, name: email, passwordHash: null });
    const { token, prefix, tokenHash } = generateApiToken();
    await createApiToken(db, user.id, { name: 't', tokenHash, prefix, expiresAt: null });
    return { user, token };
  };
  const owner = await tokenFor('owner@example.com');
  bearer = owner.token;
  otherBearer = (await tokenFor('other@example.com')).token;
  const account = await createAccount(db, owner.user.id, {
    application: 'dynamics',
    name: 'Account 1',
    serviceUrl: sandbox.service,
    apiVersion: 'v9.2',
    identityEndpoint: sandbox.authority,
    authMethod: 'password',
    config: { clientId: CREDS.client_id, username: CREDS.username },
    secrets: { clientSecret: CREDS.client_secret, username: CREDS.username, password: CREDS.password },
    status: 'connected',
  });
  accountId = account.id;
});

afterAll(async () => {
  const { closeDb } = await import('@/lib/db/database');
  await closeDb();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(path: string, token = bearer, params: Record<string, string> = {}) {
  const req = new NextRequest(`http://localhost:3000${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const mod = path.startsWith('/api/connectors/') ? await import('./[id]/route') : await import('./route');
  const res = await mod.GET(req, { params: Promise.resolve(params) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

describe('GET /api/connectors', () => {
  it('needs credentials', async () => {
    expect((await call('/api/connectors', '')).status).toBe(401);
  });

  it('returns Dynamics 365 for Sales with 42 actions, then the toolbox', async () => {
    const { status, body } = await call('/api/connectors');
    expect(status).toBe(200);
    const apps = body.applications as { id: string; actions: unknown[] }[];
    expect(apps.map((a) => a.id)).toEqual(['dynamics', 'scheduler', 'http', 'api', 'toolbox']);
    expect(apps[0]?.actions).toHaveLength(42);
  });
});

describe('GET /api/connectors/[id]', () => {
  it('404s an unknown application and refuses a bad query', async () => {
    expect((await call('/api/connectors/nope', bearer, { id: 'nope' })).status).toBe(404);
    expect((await call("/api/connectors/dynamics?table=a')x", bearer, { id: 'dynamics' })).status).toBe(400);
    expect((await call('/api/connectors/dynamics?unknown=1', bearer, { id: 'dynamics' })).status).toBe(400);
  });

  it('with an account: the discovered tables, custom ones included, and the forms of the requested tables', async () => {
    const { status, body } = await call(`/api/connectors/dynamics?account=${accountId}&table=contact,new_project`, bearer, {
      id: 'dynamics',
    });
    expect(status).toBe(200);
    const app = body.application as { objects: { table: string; builtIn: boolean; actions: { id: string }[] }[] };
    expect(app.objects.slice(0, 6).map((o) => o.table)).toEqual(['account', 'contact', 'invoice', 'lead', 'salesorder', 'product']);
    expect(app.objects.find((o) => o.table === 'new_project')).toMatchObject({ builtIn: false });
    const details = body.details as Record<
      string,
      { actions: Record<string, { input: { fields: { name: string; choices?: unknown[] }[] } }> }
    >;
    expect(Object.keys(details).sort()).toEqual(['contact', 'new_project']);
    const contactCreate = details.contact?.actions['dynamics.contact.create']?.input.fields ?? [];
    expect(contactCreate.find((f) => f.name === 'fields.new_preferredchannel')?.choices).toHaveLength(4);
    expect(JSON.stringify(body)).not.toContain(CREDS.client_secret);
  });

  it('with details=0: the table list only, without columns or forms', async () => {
    const { status, body } = await call(`/api/connectors/dynamics?account=${accountId}&details=0`, bearer, { id: 'dynamics' });
    expect(status).toBe(200);
    expect(body.details).toEqual({});
    const app = body.application as { objects: { table: string }[] };
    expect(app.objects.map((o) => o.table)).toContain('new_project');
  });

  it("404s another user's account", async () => {
    const { status, body } = await call(`/api/connectors/dynamics?account=${accountId}`, otherBearer, { id: 'dynamics' });
    expect(status).toBe(404);
    expect(body.error?.code).toBe('not_found');
  });
});
