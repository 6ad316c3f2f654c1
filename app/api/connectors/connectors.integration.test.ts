// GET /api/connectors and /api/connectors/[id] through the real route handlers: bearer-token auth,
// a real (SQLite) database with an account of the caller pointing at the sandbox over HTTP.
import { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeTestWorld } from '@/test/support/route-world';
import { CREDS } from '@/test/support/sandbox';

const world = routeTestWorld({ dirPrefix: 'dfd-connectors-', accountName: 'Account 1' });
let bearer = '';
let otherBearer = '';
let accountId = '';
beforeAll(() => {
  ({ bearer, otherBearer, accountId } = world.current());
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
