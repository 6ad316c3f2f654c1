/**
 * Templates against the sandbox over real HTTP, with a real database, the real accounts service and
 * the real run workers: the fit check (an account of the first organization lacks lead's custom
 * new_leadscore; the second has it but not the first's "Web" lead source), use-template (a draft
 * with no problem, fixes applied, a foreign account refused), and every template run end to end in
 * the engine with its trigger simulated (a recent record of the trigger's table that matches its
 * conditions, a schedule's fire, an API request from its body schema's example). HTTP request steps
 * go to a real local server started here (allowed through HTTP_STEP_ALLOWED_HOSTS, as the runtime
 * tests do). Effects are read back through the sandbox's Web API, not through the code under test.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAccount } from '@/lib/db/repositories/accounts';
import { getClientForAccount } from '@/lib/dynamics/accounts/account-client';
import { connectAccount, forgetAccount } from '@/lib/dynamics/accounts/account-service';
import { parseId } from '@/lib/dynamics/connector/ids';
import { toFilter } from '@/lib/dynamics/connector/query/conditions';
import { metadataCache } from '@/lib/dynamics/metadata/metadata-cache';
import { isDomainError } from '@/lib/errors/domain-error';
import { createExpressionEvaluator } from '@/lib/flows/expressions/evaluator';
import { kindOf } from '@/lib/flows/model/node-kinds';
import type { FlowDocument } from '@/lib/flows/model/schema';
import { enqueueRuns } from '@/lib/flows/runtime/enqueue';
import { startRunWorkers, type RunWorkers } from '@/lib/flows/runtime/run-workers';
import { getFlow } from '@/lib/flows/service/get-flow';
import { getRun } from '@/lib/flows/service/get-run';
import { bindAccounts } from '@/lib/flows/transfer/bind-accounts';
import { toConnectorConditions, type TriggerConditions } from '@/lib/flows/triggers/trigger-conditions';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { storeFlow, waitForRuns } from '@/test/support/flow-docs';
import { ORG2_CREDS, secondOrganization, startSandbox, type TestSandbox } from '@/test/support/sandbox';
import { templateCatalog, type Template } from './template-catalog';
import { checkTemplate, createFromTemplate, type TemplateServiceContext } from './use-template';

interface Received {
  method: string;
  path: string;
  body: unknown;
}

let sandbox: TestSandbox;
let org2: TestSandbox;
let server: Server;
let serverUrl: string;
const received: Received[] = [];
/** What the local server answers, by path (the price feed); anything else gets 200 { ok: true }. */
const replies = new Map<string, unknown>();
const savedEnv = { ...process.env };

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : null;
}

beforeAll(async () => {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 11).toString('base64') } }));
  sandbox = await startSandbox();
  org2 = secondOrganization(sandbox);
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      received.push({ method: req.method ?? '', path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(replies.get(req.url ?? '') ?? { ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Both listen on loopback ports: allowed the way DYNAMICS_ALLOWED_HOSTS and HTTP_STEP_ALLOWED_HOSTS would in a deployment.
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
  process.env.HTTP_STEP_ALLOWED_HOSTS = new URL(serverUrl).host;
  process.env.NEXTAUTH_URL = new URL(sandbox.service).origin;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await sandbox.close();
  process.env = savedEnv;
  setProcessKeyring(undefined);
});

const template = (id: string): Template => {
  const t = templateCatalog().byId.get(id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
};

async function failure(p: Promise<unknown>): Promise<{ code: string; kind: string; message: string; details?: unknown }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isDomainError(err)) throw new Error(`expected a domain error, got ${String(err)}`);
  return err;
}

describe('templates with the sandbox organizations', () => {
  let db: TestDb;
  let ctx: TemplateServiceContext;
  let first: string;
  let second: string;
  let foreign: string;
  let workers: RunWorkers;
  const evaluator = createExpressionEvaluator({ workers: 1 });
  const logs: string[] = [];

  const passwordAccount = (c: TemplateServiceContext, org: 'first' | 'second', name: string) =>
    connectAccount(c, {
      method: 'password',
      name,
      ...(org === 'first'
        ? {
            serviceUrl: sandbox.service,
            clientId: 'sandbox-client',
            clientSecret: 'sandbox-secret',
            username: 'sales@sandbox.local',
            password: 'sandbox',
          }
        : {
            serviceUrl: org2.service,
            clientId: ORG2_CREDS.client_id,
            clientSecret: ORG2_CREDS.client_secret,
            username: ORG2_CREDS.username,
            password: ORG2_CREDS.password,
          }),
    });

  beforeAll(async () => {
    db = await openTestDb('sqlite');
    const appOrigin = new URL(sandbox.service).origin;
    ctx = { db, ownerId: (await createTestUser(db, 'templates')).id, appOrigin };
    first = (await passwordAccount(ctx, 'first', 'Contoso sales')).id;
    second = (await passwordAccount(ctx, 'second', 'Fabrikam sales')).id;
    const stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id, appOrigin };
    foreign = (await passwordAccount(stranger, 'first', 'Not yours')).id;
    workers = startRunWorkers({
      db,
      workerId: 'templates',
      evaluator: () => evaluator,
      concurrency: 4,
      pollMs: 50,
      log: (m) => logs.push(m),
    });
  });
  afterAll(async () => {
    await workers.stop(2_000);
    await evaluator.close();
    await db.close();
  });

  describe('the fit check', () => {
    it('reports new_leadscore missing for the first organization, with "leave this field out", and nothing for the second', async () => {
      const withFirst = await checkTemplate(ctx, 'score-new-leads', { accounts: { sales: first } });
      expect(withFirst.accounts).toEqual([{ placeholder: 'sales', accountId: first, works: true }]);
      expect(withFirst.ok).toBe(false);
      expect(withFirst.mismatches).toEqual([
        {
          nodeId: 'writeScore',
          nodeName: 'Write the score and rating',
          field: 'params.inputs.fields.new_leadscore',
          code: 'unknown_column',
          message: 'Lead has no column "new_leadscore".',
          fix: { kind: 'leave_out', field: 'params.inputs.fields.new_leadscore', text: expect.stringMatching(/^Leave this field out/) },
        },
      ]);
      expect(await checkTemplate(ctx, 'score-new-leads', { accounts: { sales: second } })).toEqual({
        ok: true,
        accounts: [{ placeholder: 'sales', accountId: second, works: true }],
        mismatches: [],
      });
    });

    it('reports a choice label the organization does not have, offering its own choices', async () => {
      const check = await checkTemplate(ctx, 'capture-web-leads', { accounts: { sales: second } });
      expect(check.ok).toBe(false);
      expect(check.mismatches).toHaveLength(1);
      expect(check.mismatches[0]).toMatchObject({
        nodeId: 'upsertLead',
        field: 'params.inputs.fields.leadsourcecode',
        code: 'unknown_choice',
        fix: { kind: 'pick_value', field: 'params.inputs.fields.leadsourcecode', leaveOut: 'params.inputs.fields.leadsourcecode' },
      });
      const fix = check.mismatches[0]!.fix;
      expect(fix.kind === 'pick_value' && fix.choices).toEqual(expect.arrayContaining([{ value: 100000000, label: 'Webinar' }]));
      expect((await checkTemplate(ctx, 'capture-web-leads', { accounts: { sales: first } })).ok).toBe(true);
    });

    it('finds every template fitting the first organization or, for the custom column, the second', async () => {
      for (const t of templateCatalog().templates) {
        const check = await checkTemplate(ctx, t.id, { accounts: { sales: first } });
        if (check.ok) continue;
        expect([t.id, check.mismatches.map((m) => m.field)]).toEqual([t.id, ['params.inputs.fields.new_leadscore']]);
        expect((await checkTemplate(ctx, t.id, { accounts: { sales: second } })).ok).toBe(true);
      }
    });

    it('says an account does not work when its sign-in is refused', async () => {
      const stale = (await passwordAccount(ctx, 'first', 'Stale')).id;
      await updateAccount(db, ctx.ownerId, stale, {
        secrets: { clientSecret: 'sandbox-secret', username: 'sales@sandbox.local', password: 'wrong' },
      });
      await forgetAccount(stale);
      const check = await checkTemplate(ctx, 'hot-lead-alert', { accounts: { sales: stale } });
      expect(check.ok).toBe(false);
      expect(check.accounts).toEqual([
        { placeholder: 'sales', accountId: stale, works: false, message: expect.stringMatching(/^The connection failed/) },
      ]);
      expect(check.mismatches).toEqual([]);
    });

    it("refuses another user's account as not found, naming no one, and unknown or missing placeholders", async () => {
      const err = await failure(checkTemplate(ctx, 'hot-lead-alert', { accounts: { sales: foreign } }));
      expect(err).toMatchObject({ kind: 'not_found', code: 'not_found' });
      expect(err.message).not.toContain(foreign);
      expect(await failure(createFromTemplate(ctx, 'hot-lead-alert', { accounts: { sales: foreign } }))).toMatchObject({
        kind: 'not_found',
      });
      expect(await failure(checkTemplate(ctx, 'hot-lead-alert', { accounts: { sales: first, other: first } }))).toMatchObject({
        code: 'unknown_placeholder',
      });
      expect(await failure(checkTemplate(ctx, 'hot-lead-alert', { accounts: {} }))).toMatchObject({ code: 'account_required' });
      expect(await failure(checkTemplate(ctx, 'no-such-template', { accounts: {} }))).toMatchObject({ kind: 'not_found' });
    });
  });

  describe('using a template', () => {
    const flowCount = async () => (await db.db.selectFrom('flows').select('id').where('owner_id', '=', ctx.ownerId).execute()).length;

    it('makes a draft with no problem, named after the template, with the chosen account', async () => {
      const { flowId } = await createFromTemplate(ctx, 'score-new-leads', { accounts: { sales: second } });
      const flow = await getFlow(ctx, flowId);
      expect(flow).toMatchObject({ name: 'Score new leads from what they tell you', status: 'draft', problems: [], accounts: [second] });
    });

    it('refuses to make a draft that would have problems, and makes it once the offered fix is chosen', async () => {
      const before = await flowCount();
      const err = await failure(createFromTemplate(ctx, 'score-new-leads', { accounts: { sales: first } }));
      expect(err).toMatchObject({ kind: 'unprocessable', code: 'template_mismatch' });
      expect((err.details as { mismatches: { field: string }[] }).mismatches.map((m) => m.field)).toEqual([
        'params.inputs.fields.new_leadscore',
      ]);
      expect(await flowCount()).toBe(before);

      const { flowId } = await createFromTemplate(ctx, 'score-new-leads', {
        accounts: { sales: first },
        leaveOut: [{ nodeId: 'writeScore', field: 'params.inputs.fields.new_leadscore' }],
      });
      const flow = await getFlow(ctx, flowId);
      expect(flow.problems).toEqual([]);
      const write = (flow.document as FlowDocument).nodes.find((n) => n.id === 'writeScore');
      expect(Object.keys((write?.params.inputs as { fields: object }).fields)).toEqual(['leadqualitycode']);
    });

    it('applies a picked value instead of a choice the organization lacks', async () => {
      const { flowId } = await createFromTemplate(ctx, 'capture-web-leads', {
        accounts: { sales: second },
        values: [{ nodeId: 'upsertLead', field: 'params.inputs.fields.leadsourcecode', value: 'Webinar' }],
      });
      expect((await getFlow(ctx, flowId)).problems).toEqual([]);
    });
  });

  describe('every template runs end to end in the engine', () => {
    const orgOf = (accountId: string) => (accountId === second ? org2 : sandbox);
    const rows = async <T = Record<string, unknown>>(accountId: string, path: string): Promise<T[]> => {
      const res = await orgOf(accountId).json<{ value: T[] }>(path);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.value;
    };
    const patch = async (accountId: string, path: string, body: unknown) => {
      const res = await orgOf(accountId).call(path, { method: 'PATCH', body: JSON.stringify(body) });
      expect(res.status, path).toBe(204);
    };

    /** The newest record of the trigger's table matching its conditions, as the poller would hand it over (no annotations). */
    async function recentRecord(accountId: string, table: string, conditions: TriggerConditions | undefined, id?: string) {
      const client = await getClientForAccount(db, ctx.ownerId, accountId);
      const schema = await metadataCache.table(client, table);
      const group = conditions ? toFilter(schema, toConnectorConditions(conditions)) : undefined;
      const filter = id
        ? {
            match: 'all' as const,
            conditions: [{ field: schema.primaryIdAttribute, operator: 'eq' as const, type: 'guid' as const, value: id }],
          }
        : group;
      for await (const page of client.retrievePages(schema.entitySetName, {
        ...(filter ? { filter } : {}),
        orderBy: [{ field: 'modifiedon', descending: true }],
        top: 1,
      })) {
        const record = page[0];
        if (record) return { id: String(record[schema.primaryIdAttribute]), record };
      }
      throw new Error(`no ${table} record matches the trigger of the template`);
    }

    /** Trigger data as each kind of trigger hands it to a run. */
    async function triggerFor(document: FlowDocument, accountId: string, recordId?: string): Promise<{ kind: string; data: unknown }> {
      const trigger = document.nodes.find((n) => kindOf(n.type)?.category === 'trigger')!;
      const inputs = trigger.params.inputs as {
        conditions?: TriggerConditions;
        bodySchema?: { examples?: unknown[] };
        samplePayload?: unknown;
      };
      const parsed = parseId(trigger.type);
      if (parsed?.event) {
        const { id, record } = await recentRecord(accountId, parsed.table, inputs.conditions, recordId);
        return { kind: trigger.type, data: { event: parsed.event === 'new' ? 'new' : 'updated', table: parsed.table, id, record } };
      }
      if (trigger.type === 'scheduler.schedule') {
        const now = new Date().toISOString();
        return { kind: trigger.type, data: { firedAt: now, scheduledFor: now } };
      }
      if (trigger.type === 'api.request') {
        return { kind: trigger.type, data: { method: 'POST', body: inputs.bodySchema?.examples?.[0] ?? {}, query: {}, headers: {} } };
      }
      return { kind: trigger.type, data: inputs.samplePayload ?? null };
    }

    interface Prepared {
      /** The record the simulated trigger fires for (else the newest one matching its conditions). */
      recordId?: string;
      /** The API request's body (else its schema's example). */
      body?: unknown;
    }
    interface Case {
      prepare?: (accountId: string) => Promise<Prepared | void>;
      /** What the run must have done, read back from the sandbox and the local server. */
      verify: (accountId: string, run: RunOutcome, prepared: Prepared) => Promise<void>;
    }
    interface RunOutcome {
      runId: string;
      trigger: { id?: string; body?: unknown };
      response: { status: number; body: Record<string, unknown> } | null;
      requests: Received[];
    }

    const feed: { productNumber: string; price: number }[] = [];

    const CASES: Record<string, Case> = {
      'capture-web-leads': {
        verify: async (accountId, run) => {
          expect(run.response).toMatchObject({ status: 200, body: { outcome: 'created' } });
          const leadId = run.response!.body.leadId as string;
          const leads = await rows<{ leadid: string; leadsourcecode: number }>(
            accountId,
            `leads?$filter=emailaddress1 eq 'ada.lovelace@example.org'`,
          );
          expect(leads).toEqual([expect.objectContaining({ leadid: leadId, leadsourcecode: 8 })]);
          // The same visitor again: the same lead, updated, not a second one.
          const again = await runTemplate('capture-web-leads', accountId, {});
          expect(again.response).toMatchObject({ status: 200, body: { leadId, outcome: 'updated' } });
          expect(await rows(accountId, `leads?$filter=emailaddress1 eq 'ada.lovelace@example.org'`)).toHaveLength(1);
          // An incomplete form is answered 400 and writes nothing.
          const incomplete = await runTemplate('capture-web-leads', accountId, { body: { email: 'not an address', lastName: 'X' } });
          expect(incomplete.response).toMatchObject({ status: 400, body: { error: expect.stringMatching(/required/) } });
        },
      },
      'qualified-lead-to-account-and-contact': {
        verify: async (accountId, run) => {
          const leadId = run.trigger.id!;
          const contacts = await rows<{ contactid: string; _parentcustomerid_value: string }>(
            accountId,
            `contacts?$filter=_originatingleadid_value eq ${leadId}&$select=contactid,_parentcustomerid_value`,
          );
          expect(contacts).toHaveLength(1);
          const [lead] = await rows<{ _parentaccountid_value: string; _parentcontactid_value: string }>(
            accountId,
            `leads?$filter=leadid eq ${leadId}&$select=_parentaccountid_value,_parentcontactid_value`,
          );
          expect(lead).toEqual(
            expect.objectContaining({
              _parentaccountid_value: contacts[0]!._parentcustomerid_value,
              _parentcontactid_value: contacts[0]!.contactid,
            }),
          );
          const [account] = await rows<{ _primarycontactid_value: string }>(
            accountId,
            `accounts?$filter=accountid eq ${lead!._parentaccountid_value}`,
          );
          expect(account?._primarycontactid_value).toBe(contacts[0]!.contactid);
        },
      },
      'invoice-new-orders': {
        verify: async (accountId, run) => {
          const invoices = await rows<{ name: string; _customerid_value: string; description: string }>(
            accountId,
            `invoices?$filter=_salesorderid_value eq ${run.trigger.id} and startswith(description,'Raised automatically')`,
          );
          expect(invoices).toHaveLength(1);
          const [order] = await rows<{ name: string; _customerid_value: string }>(
            accountId,
            `salesorders?$filter=salesorderid eq ${run.trigger.id}`,
          );
          expect(invoices[0]).toMatchObject({ name: `Invoice for ${order!.name}`, _customerid_value: order!._customerid_value });
        },
      },
      'overdue-invoices-daily': {
        verify: async (accountId, run) => {
          const today = new Date().toISOString().slice(0, 10);
          const overdue = await rows(accountId, `invoices?$filter=statecode eq 0 and duedate lt ${today}&$select=invoiceid`);
          expect(overdue.length).toBeGreaterThan(0);
          const posts = run.requests.filter((r) => r.path.endsWith('/postList'));
          expect(posts).toHaveLength(1);
          expect(posts[0]).toMatchObject({ method: 'POST', body: { count: overdue.length, invoices: expect.any(Array) } });
          expect((posts[0]!.body as { invoices: unknown[] }).invoices).toHaveLength(overdue.length);
          const logged = (await getRun(ctx, run.runId)).steps.filter((s) => s.nodeId === 'logInvoice');
          expect(logged).toHaveLength(overdue.length);
        },
      },
      'sync-product-prices': {
        prepare: async (accountId) => {
          const products = await rows<{ productnumber: string; price: number | null }>(
            accountId,
            'products?$select=productnumber,price&$top=3',
          );
          feed.splice(
            0,
            feed.length,
            ...products.map((p, i) => ({ productNumber: p.productnumber, price: Math.round(((p.price ?? 10) + 1.25 + i) * 100) / 100 })),
          );
          replies.set('/sync-product-prices/fetchFeed', { prices: [...feed, { productNumber: 'NO-SUCH-PRODUCT', price: 1 }] });
        },
        verify: async (accountId) => {
          for (const line of feed) {
            const [product] = await rows<{ price: number }>(
              accountId,
              `products?$filter=productnumber eq '${line.productNumber}'&$select=price`,
            );
            expect([line.productNumber, product?.price]).toEqual([line.productNumber, line.price]);
          }
        },
      },
      'reassign-open-orders-on-owner-change': {
        prepare: async (accountId) => {
          const [order] = await rows<{ salesorderid: string; _customerid_value: string; _ownerid_value: string }>(
            accountId,
            'salesorders?$filter=statecode eq 0&$select=salesorderid,_customerid_value,_ownerid_value&$top=1',
          );
          const users = await rows<{ systemuserid: string }>(accountId, 'systemusers?$select=systemuserid');
          const [account] = await rows<{ _ownerid_value: string }>(accountId, `accounts?$filter=accountid eq ${order!._customerid_value}`);
          // The order belongs to someone other than the account's owner: the flow must hand it over.
          const other = users.find((u) => u.systemuserid !== account!._ownerid_value)!;
          await patch(accountId, `salesorders(${order!.salesorderid})`, { 'ownerid@odata.bind': `/systemusers(${other.systemuserid})` });
          return { recordId: order!._customerid_value };
        },
        verify: async (accountId, run) => {
          const [account] = await rows<{ _ownerid_value: string }>(accountId, `accounts?$filter=accountid eq ${run.trigger.id}`);
          const open = await rows<{ _ownerid_value: string }>(
            accountId,
            `salesorders?$filter=_customerid_value eq ${run.trigger.id} and statecode eq 0`,
          );
          expect(open.length).toBeGreaterThan(0);
          expect(open.map((o) => o._ownerid_value)).toEqual(open.map(() => account!._ownerid_value));
        },
      },
      'clean-up-old-leads': {
        prepare: async (accountId) => {
          expect(await rows(accountId, `leads?$filter=statecode eq 2&$select=leadid`)).not.toHaveLength(0);
        },
        verify: async (accountId) => {
          const cutoff = new Date(Date.now() - 180 * 86_400_000).toISOString();
          expect(await rows(accountId, `leads?$filter=statecode eq 2 and modifiedon lt ${cutoff}&$select=leadid`)).toEqual([]);
          expect(await rows(accountId, `leads?$filter=statecode eq 0&$select=leadid&$top=1`)).toHaveLength(1);
        },
      },
      'score-new-leads': {
        verify: async (accountId, run) => {
          const [lead] = await rows<{ new_leadscore: number; leadqualitycode: number }>(
            accountId,
            `leads?$filter=leadid eq ${run.trigger.id}`,
          );
          expect(lead!.new_leadscore).toBeGreaterThanOrEqual(0);
          expect(lead!.new_leadscore).toBeLessThanOrEqual(100);
          expect(lead!.leadqualitycode).toBe(lead!.new_leadscore >= 70 ? 1 : lead!.new_leadscore >= 40 ? 2 : 3);
        },
      },
      'won-opportunity-notify': {
        prepare: async (accountId) => {
          const [deal] = await rows<{ opportunityid: string }>(
            accountId,
            'opportunities?$filter=statecode eq 0&$select=opportunityid&$top=1',
          );
          await patch(accountId, `opportunities(${deal!.opportunityid})`, { statecode: 1, statuscode: 3 });
          return { recordId: deal!.opportunityid };
        },
        verify: async (_accountId, run) => {
          const posts = run.requests.filter((r) => r.path.endsWith('/postWin'));
          expect(posts).toEqual([
            expect.objectContaining({
              method: 'POST',
              body: expect.objectContaining({ opportunityId: run.trigger.id, text: expect.stringMatching(/^Won: /) }),
            }),
          ]);
        },
      },
      'new-opportunity-follow-up': {
        prepare: async (accountId) => {
          const [deal] = await rows<{ opportunityid: string }>(
            accountId,
            'opportunities?$filter=statecode eq 0&$select=opportunityid&$top=1',
          );
          await patch(accountId, `opportunities(${deal!.opportunityid})`, { estimatedclosedate: null });
          return { recordId: deal!.opportunityid };
        },
        verify: async (accountId, run) => {
          const [deal] = await rows<{ estimatedclosedate: string | null }>(
            accountId,
            `opportunities?$filter=opportunityid eq ${run.trigger.id}`,
          );
          expect(deal!.estimatedclosedate).toBe(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
          expect(run.requests.filter((r) => r.path.endsWith('/postFollowUp'))).toEqual([
            expect.objectContaining({ body: expect.objectContaining({ opportunityId: run.trigger.id }) }),
          ]);
        },
      },
      'contact-email-sync': {
        verify: async (accountId, run) => {
          const [contact] = await rows<{ emailaddress1: string }>(accountId, `contacts?$filter=contactid eq ${run.trigger.id}`);
          expect(run.requests).toEqual([
            expect.objectContaining({
              method: 'PUT',
              body: expect.objectContaining({ externalId: run.trigger.id, email: contact!.emailaddress1.toLowerCase() }),
            }),
          ]);
        },
      },
      'daily-pipeline-summary': {
        verify: async (accountId, run) => {
          const open = await rows(accountId, 'opportunities?$filter=statecode eq 0&$select=opportunityid');
          expect(run.requests).toEqual([
            expect.objectContaining({ body: expect.objectContaining({ summary: expect.objectContaining({ openCount: open.length }) }) }),
          ]);
        },
      },
      'stale-opportunities-nudge': {
        verify: async (accountId, run) => {
          const cutoff = new Date(Date.now() - 14 * 86_400_000).toISOString();
          const stale = await rows(accountId, `opportunities?$filter=statecode eq 0 and modifiedon lt ${cutoff}&$select=opportunityid`);
          expect(stale.length).toBeGreaterThan(0);
          expect(run.requests.filter((r) => r.path.endsWith('/nudge'))).toHaveLength(Math.min(stale.length, 200));
        },
      },
      'order-status-lookup': {
        verify: async (accountId, run) => {
          // The example's number is not the sandbox's: the not-found branch answers.
          expect(run.response).toMatchObject({ status: 404, body: { error: 'No order numbered ORD-01001' } });
          const [order] = await rows<{ ordernumber: string }>(accountId, 'salesorders?$select=ordernumber&$top=1');
          const found = await runTemplate('order-status-lookup', accountId, { body: { orderNumber: order!.ordernumber } });
          expect(found.response).toMatchObject({ status: 200, body: { orderNumber: order!.ordernumber, status: expect.any(String) } });
        },
      },
      'hot-lead-alert': {
        verify: async (_accountId, run) => {
          expect(run.requests).toEqual([
            expect.objectContaining({
              body: expect.objectContaining({ leadId: run.trigger.id, text: expect.stringMatching(/^Hot lead: /) }),
            }),
          ]);
        },
      },
      'credit-hold-overdue-customers': {
        verify: async (accountId) => {
          const cutoff = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
          const aged = await rows<{ _customerid_value: string }>(
            accountId,
            `invoices?$filter=statecode eq 0 and duedate lt ${cutoff}&$select=_customerid_value`,
          );
          expect(aged.length).toBeGreaterThan(0);
          for (const id of new Set(aged.map((i) => i._customerid_value))) {
            const accounts = await rows<{ creditonhold: boolean }>(accountId, `accounts?$filter=accountid eq ${id}&$select=creditonhold`);
            // A contact owing an invoice is left alone (the flow only holds accounts).
            if (accounts.length) expect([id, accounts[0]!.creditonhold]).toEqual([id, true]);
          }
        },
      },
    };

    /** The template bound to the account, its HTTP requests pointed at the local server (`/<template>/<node id>`), run once. */
    async function runTemplate(id: string, accountId: string, prepared: Prepared): Promise<RunOutcome> {
      const bound = bindAccounts(template(id).portable, { sales: accountId });
      if (!bound.ok) throw new Error(bound.error.message);
      const document = structuredClone(bound.document) as FlowDocument;
      for (const node of document.nodes) {
        if (node.type === 'http.request') (node.params.inputs as { url: unknown }).url = `${serverUrl}/${id}/${node.id}`;
      }
      const flowId = await storeFlow(db, ctx.ownerId, document);
      const trigger = await triggerFor(document, accountId, prepared.recordId);
      if (prepared.body !== undefined) (trigger.data as { body: unknown }).body = prepared.body;
      const from = received.length;
      const [queued] = await enqueueRuns(db, [
        { ownerId: ctx.ownerId, flowId, flowVersion: 1, trigger: trigger.data, triggerKind: trigger.kind },
      ]);
      const [run] = await waitForRuns(db, [queued!.runId], 60_000);
      expect([id, run!.status, run!.error]).toEqual([id, 'succeeded', null]);
      return {
        runId: queued!.runId,
        trigger: trigger.data as RunOutcome['trigger'],
        response: run!.response as RunOutcome['response'],
        requests: received.slice(from).filter((r) => r.path.startsWith(`/${id}/`)),
      };
    }

    it('has a case for every template', () => {
      expect(Object.keys(CASES).sort()).toEqual(
        templateCatalog()
          .templates.map((t) => t.id)
          .sort(),
      );
    });

    for (const t of templateCatalog().templates) {
      it(`${t.id}: runs successfully with its trigger simulated and does what it says`, async () => {
        // The organization it fits: the first, or the second for a template that needs its custom column.
        const accountId = (await checkTemplate(ctx, t.id, { accounts: { sales: first } })).ok ? first : second;
        const testCase = CASES[t.id];
        if (!testCase) throw new Error(`no end-to-end case for template ${t.id}: add one to CASES`);
        const prepared = (await testCase.prepare?.(accountId)) ?? {};
        const run = await runTemplate(t.id, accountId, prepared);
        const view = await getRun(ctx, run.runId);
        expect(view.steps.filter((s) => s.status !== 'succeeded').map((s) => [s.nodeId, s.status, s.error])).toEqual([]);
        await testCase.verify(accountId, run, prepared);
      });
    }
  });
});

describe.each(DATABASE_KINDS)('using a template on %s', (kind) => {
  let db: TestDb;
  let ctx: TemplateServiceContext;
  let accountId: string;
  let foreign: string;

  beforeAll(async () => {
    db = await openTestDb(kind);
    const appOrigin = new URL(sandbox.service).origin;
    const connect = (c: TemplateServiceContext) =>
      connectAccount(c, {
        method: 'password',
        serviceUrl: sandbox.service,
        clientId: 'sandbox-client',
        clientSecret: 'sandbox-secret',
        username: 'sales@sandbox.local',
        password: 'sandbox',
      });
    ctx = { db, ownerId: (await createTestUser(db, `use-${kind}`)).id, appOrigin };
    accountId = (await connect(ctx)).id;
    const stranger = { db, ownerId: (await createTestUser(db, `stranger-${kind}`)).id, appOrigin };
    foreign = (await connect(stranger)).id;
  });
  afterAll(() => db.close());

  it('stores a draft with no problem for each template that fits, and nothing for a foreign account', async () => {
    for (const id of ['qualified-lead-to-account-and-contact', 'overdue-invoices-daily', 'order-status-lookup']) {
      const { flowId } = await createFromTemplate(ctx, id, { accounts: { sales: accountId } });
      expect(await getFlow(ctx, flowId)).toMatchObject({ status: 'draft', problems: [], accounts: [accountId], currentVersion: 1 });
    }
    expect(await failure(createFromTemplate(ctx, 'hot-lead-alert', { accounts: { sales: foreign } }))).toMatchObject({ kind: 'not_found' });
    const owned = await db.db.selectFrom('flows').select('name').where('owner_id', '=', ctx.ownerId).execute();
    expect(owned.map((f) => f.name).sort()).toEqual([
      'Answer "where is my order?" from your portal',
      'Send a daily list of overdue invoices',
      'Turn a qualified lead into an account and a contact',
    ]);
  });
});
