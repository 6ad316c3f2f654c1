// The template routes through their real handlers: bearer-token auth, a real (SQLite) database, an
// account of the caller pointing at the sandbox over HTTP, zod on the query, path and body.
import { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeTestWorld } from '@/test/support/route-world';

const world = routeTestWorld({ dirPrefix: 'dfd-templates-', accountName: 'Sandbox' });
let bearer = '';
let otherBearer = '';
let accountId = '';
beforeAll(() => {
  ({ bearer, otherBearer, accountId } = world.current());
});

type Json = Record<string, unknown> & { error?: { code: string; message: string; details?: unknown } };

async function call(method: 'GET' | 'POST', path: string, opts: { token?: string; body?: unknown } = {}) {
  const token = opts.token ?? bearer;
  const url = new URL(`http://localhost:3000${path}`);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const req = new NextRequest(url, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const [, , , id, action] = url.pathname.split('/');
  const mod = !id
    ? await import('./route')
    : action === 'check'
      ? await import('./[id]/check/route')
      : action === 'use'
        ? await import('./[id]/use/route')
        : await import('./[id]/route');
  type Handler = (r: NextRequest, c: { params: Promise<Record<string, string>> }) => Promise<Response>;
  const handler = (mod as unknown as Record<string, Handler>)[method]!;
  const params: Record<string, string> = id ? { id } : {};
  const res = await handler(req, { params: Promise.resolve(params) });
  return { status: res.status, body: (await res.json()) as Json };
}

describe('GET /api/templates', () => {
  it('needs credentials', async () => {
    expect((await call('GET', '/api/templates', { token: '' })).status).toBe(401);
  });

  it('lists every template with its tags, without its flow', async () => {
    const { status, body } = await call('GET', '/api/templates');
    expect(status).toBe(200);
    const templates = body.templates as Record<string, unknown>[];
    expect(templates.length).toBeGreaterThanOrEqual(12);
    expect(templates.find((t) => t.id === 'capture-web-leads')).toEqual({
      id: 'capture-web-leads',
      title: 'Capture web leads without duplicates',
      summary: expect.any(String),
      timeSaved: expect.any(String),
      keywords: expect.arrayContaining(['duplicate detection']),
      accounts: { sales: { label: 'Dynamics 365 for Sales account' } },
      tags: {
        objects: [{ logicalName: 'lead', displayName: 'Lead', displayCollectionName: 'Leads' }],
        trigger: 'api',
        triggerType: 'api.request',
      },
    });
  });

  it('searches and filters; a bad filter is 400', async () => {
    const all = (await call('GET', '/api/templates')).body.templates as unknown[];
    expect((await call('GET', '/api/templates?q=Microsoft%20Dynamics%20365%20for%20Sales')).body.templates).toHaveLength(all.length);
    const products = (await call('GET', '/api/templates?object=product&trigger=scheduler')).body.templates as { id: string }[];
    expect(products.map((t) => t.id)).toEqual(['sync-product-prices']);
    const bad = await call('GET', '/api/templates?trigger=telepathy');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('invalid_query');
  });
});

describe('GET /api/templates/{id}', () => {
  it('gives the template with its flow document, placeholders in place of accounts', async () => {
    const { status, body } = await call('GET', '/api/templates/invoice-new-orders');
    expect(status).toBe(200);
    const template = body.template as { document: { nodes: { type: string; params: { accountId?: string } }[] } };
    expect(template.document.nodes[0]).toMatchObject({ type: 'dynamics.salesorder.new', params: { accountId: 'sales' } });
  });

  it('is 404 for an unknown template and 400 for a malformed id', async () => {
    expect((await call('GET', '/api/templates/no-such-template')).status).toBe(404);
    expect((await call('GET', '/api/templates/Bad..Id')).status).toBe(400);
  });
});

describe('POST /api/templates/{id}/check and /use', () => {
  it('checks the account: it works and nothing of the template fails to fit', async () => {
    const { status, body } = await call('POST', '/api/templates/invoice-new-orders/check', { body: { accounts: { sales: accountId } } });
    expect([status, body]).toEqual([200, { ok: true, accounts: [{ placeholder: 'sales', accountId, works: true }], mismatches: [] }]);
  });

  it('reports the custom column the account lacks', async () => {
    const { body } = await call('POST', '/api/templates/score-new-leads/check', { body: { accounts: { sales: accountId } } });
    expect(body).toMatchObject({
      ok: false,
      mismatches: [{ nodeId: 'writeScore', field: 'params.inputs.fields.new_leadscore', fix: { kind: 'leave_out' } }],
    });
  });

  it('makes a draft (201 { flowId }) that has no problem', async () => {
    const { status, body } = await call('POST', '/api/templates/score-new-leads/use', {
      body: { accounts: { sales: accountId }, leaveOut: [{ nodeId: 'writeScore', field: 'params.inputs.fields.new_leadscore' }] },
    });
    expect(status).toBe(201);
    expect(Object.keys(body)).toEqual(['flowId']);
    const { GET } = await import('../flows/[id]/route');
    const res = await GET(
      new NextRequest(`http://localhost:3000/api/flows/${String(body.flowId)}`, { headers: { authorization: `Bearer ${bearer}` } }),
      {
        params: Promise.resolve({ id: String(body.flowId) }),
      },
    );
    expect(await res.json()).toMatchObject({ flow: { status: 'draft', problems: [] } });
  });

  it('answers 422 with the mismatches when no fix was chosen', async () => {
    const { status, body } = await call('POST', '/api/templates/score-new-leads/use', { body: { accounts: { sales: accountId } } });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({
      code: 'template_mismatch',
      details: { mismatches: [expect.objectContaining({ code: 'unknown_column' })] },
    });
  });

  it("refuses another user's account as 404 without saying whose it is, and malformed bodies as 400", async () => {
    for (const action of ['check', 'use']) {
      const { status, body } = await call('POST', `/api/templates/hot-lead-alert/${action}`, {
        token: otherBearer,
        body: { accounts: { sales: accountId } },
      });
      expect(status).toBe(404);
      expect(JSON.stringify(body)).not.toContain(accountId);
    }
    expect((await call('POST', '/api/templates/hot-lead-alert/check', { body: { accounts: { sales: 'not-an-id' } } })).status).toBe(400);
    expect((await call('POST', '/api/templates/hot-lead-alert/use', { body: { accounts: { sales: accountId }, extra: 1 } })).status).toBe(
      400,
    );
    const unknownFix = await call('POST', '/api/templates/hot-lead-alert/use', {
      body: { accounts: { sales: accountId }, leaveOut: [{ nodeId: 'alert', field: 'params.accountId' }] },
    });
    expect([unknownFix.status, unknownFix.body.error?.code]).toEqual([400, 'invalid_fix']);
  });
});
