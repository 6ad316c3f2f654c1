/**
 * validateFlow end to end: real account rows in SQLite and PostgreSQL, the sandbox's organization
 * over real HTTP through getClientForAccount and the metadata cache, a flow document with problems
 * of every layer at once (structure, expression syntax, metadata).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAccount } from '@/lib/db/repositories/accounts';
import { connectAccount, type AccountContext } from '@/lib/dynamics/accounts/account-service';
import { getClientForAccount } from '@/lib/dynamics/accounts/account-client';
import { MetadataCache } from '@/lib/dynamics/metadata/metadata-cache';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { requestLog, setFaults } from '@/test/support/client-fixtures';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { startSandbox, type TestSandbox } from '@/test/support/sandbox';
import type { Problem } from '../model/problem';
import { validateFlow, validateFlowWith } from './validate-flow';

let sandbox: TestSandbox;
const savedEnv = { ...process.env };

beforeAll(async () => {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') } }));
  sandbox = await startSandbox();
  // The sandbox listens on a loopback port: allow it the way DYNAMICS_ALLOWED_HOSTS would.
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
  process.env.NEXTAUTH_URL = new URL(sandbox.service).origin;
});
afterAll(async () => {
  process.env = savedEnv;
  setProcessKeyring(undefined);
  await sandbox.close();
});

const position = { x: 0, y: 0 };
const trigger = { id: 'tManual00001', type: 'manual.trigger', typeVersion: 1, position, params: { inputs: {} } };
const step = (id: string, type: string, accountId: string, inputs: Record<string, unknown>) => ({
  id,
  type,
  typeVersion: 1,
  position,
  params: { accountId, inputs },
});
/** A chain: the trigger, then each step in order. */
const flow = (...steps: ReturnType<typeof step>[]) => ({
  schemaVersion: 2,
  name: 'Validation test',
  nodes: [trigger, ...steps],
  edges: steps.map((s, i) => ({
    id: `e${i}`,
    from: { node: i === 0 ? trigger.id : steps[i - 1]!.id, handle: 'next' },
    to: { node: s.id },
  })),
});
const summary = (problems: Problem[]) => problems.map((p) => `${p.nodeId ?? '-'} ${p.code} ${p.field ?? '-'}`).sort();

describe.each(DATABASE_KINDS)('validateFlow on %s with the sandbox', (kind) => {
  let db: TestDb;
  let ctx: AccountContext;
  let accountId: string;

  beforeAll(async () => {
    db = await openTestDb(kind);
    const user = await createTestUser(db, 'validator');
    ctx = { db, ownerId: user.id, appOrigin: new URL(sandbox.service).origin };
    const account = await connectAccount(ctx, {
      method: 'password',
      serviceUrl: sandbox.service,
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
      username: 'sales@sandbox.local',
      password: 'sandbox',
    });
    accountId = account.id;
  });
  afterAll(() => db.close());

  it('finds no problem in a sound flow', async () => {
    const result = await validateFlow(
      ctx,
      flow(
        step('sCreate00001', 'dynamics.contact.create', accountId, {
          fields: { lastname: { expr: '$steps.tManual00001.output.name' }, firstname: 'Ada', gendercode: 'Female' },
        }),
        step('sFind000001', 'dynamics.contact.retrieve', accountId, {
          conditions: { match: 'all', conditions: [{ field: 'lastname', operator: 'eq', value: 'Ng' }] },
          maxItems: 5,
        }),
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.document?.nodes).toHaveLength(3);
  });

  it('returns the problems of every layer together, each with its node, field and words', async () => {
    const doc = flow(
      step('sCreate00001', 'dynamics.contact.create', accountId, {
        fields: {
          firstname: 'Ada',
          gendercode: 'Other',
          nosuchcolumn: 1,
          parentcustomerid: { table: 'lead', id: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee' },
          description: { expr: '"unclosed' },
        },
      }),
      step('sFind000001', 'dynamics.contact.retrieve', accountId, {
        conditions: { match: 'all', conditions: [{ field: 'gendercode', operator: 'contains', value: 'F' }] },
      }),
      step('sGone000001', 'dynamics.new_nosuchtable.create', accountId, { fields: {} }),
    );
    doc.nodes.push({ ...trigger, id: 'tOrphan0001', type: 'toolbox.log', params: { inputs: { message: 'never runs' } } });
    const { problems, document } = await validateFlow(ctx, doc);
    expect(document).toBeDefined();
    expect(summary(problems)).toEqual(
      [
        'sCreate00001 expression_syntax params.inputs.fields.description',
        'sCreate00001 lookup_target params.inputs.fields.parentcustomerid.table',
        'sCreate00001 required_column params.inputs.fields.lastname',
        'sCreate00001 unknown_choice params.inputs.fields.gendercode',
        'sCreate00001 unknown_column params.inputs.fields.nosuchcolumn',
        'sFind000001 operator_unsuitable params.inputs.conditions.conditions.0.operator',
        'sGone000001 unknown_table type',
        'tOrphan0001 unreachable -',
      ].sort(),
    );
    const choice = problems.find((p) => p.code === 'unknown_choice')!;
    expect(choice.message).toContain('"Male" (1), "Female" (2)');
    for (const p of problems) expect(p.message).toMatch(/^[^{}]{10,}$/);
  });

  it('requires change tracking for a Deleted trigger on a table without it', async () => {
    const doc = {
      schemaVersion: 2,
      name: 'Deleted units',
      nodes: [step('tDeleted001', 'dynamics.businessunit.deleted', accountId, { intervalSeconds: 300 })],
      edges: [],
    };
    expect(summary((await validateFlow(ctx, doc)).problems)).toEqual(['tDeleted001 change_tracking_required type']);
    doc.nodes[0]!.type = 'dynamics.contact.deleted';
    expect((await validateFlow(ctx, doc)).problems).toEqual([]);
  });

  it('loads each account and table once per validation', async () => {
    const cache = new MetadataCache();
    const steps = ['A', 'B', 'C'].map((s) =>
      step(`sStep0000${s}`, 'dynamics.contact.update', accountId, {
        match: { by: 'id', id: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee' },
        fields: { firstname: s },
      }),
    );
    const before = (await requestLog(sandbox)).length;
    const result = await validateFlowWith(ctx, flow(...steps), { cache, getClient: (d, o, a) => getClientForAccount(d, o, a) });
    expect(result.problems).toEqual([]);
    const metadataCalls = (await requestLog(sandbox)).slice(before).filter((r) => r.path.includes('EntityDefinitions'));
    const contactCalls = metadataCalls.filter((r) => r.path.includes("LogicalName='contact'"));
    // One directory listing and one set of contact requests, not one per step.
    expect(contactCalls.length).toBeGreaterThan(0);
    const again = (await requestLog(sandbox)).length;
    await validateFlowWith(ctx, flow(...steps), { cache });
    expect((await requestLog(sandbox)).slice(again).filter((r) => r.path.includes('EntityDefinitions'))).toEqual([]);
    const distinct = new Set(contactCalls.map((r) => `${r.method} ${r.path}`));
    expect(distinct.size).toBe(contactCalls.length);
  });

  it("names an account that is not the owner's, one that needs reconnecting and one that cannot be reached, on each step using it", async () => {
    const other = await createTestUser(db, 'other');
    const foreign = await connectAccount(
      { ...ctx, ownerId: other.id },
      {
        method: 'password',
        serviceUrl: sandbox.service,
        clientId: 'sandbox-client',
        clientSecret: 'sandbox-secret',
        username: 'sales@sandbox.local',
        password: 'sandbox',
      },
    );
    const stale = await connectAccount(ctx, {
      method: 'password',
      serviceUrl: sandbox.service,
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
      username: 'sales@sandbox.local',
      password: 'sandbox',
      name: 'Stale',
    });
    await updateAccount(db, ctx.ownerId, stale.id, { status: 'needs_reconnect', statusReason: 'the password was changed' });
    const unreachable = (cause: string) => async () => {
      throw new Error(`Dynamics could not be reached (${cause})`);
    };
    const doc = flow(
      step('sForeign001', 'dynamics.contact.create', foreign.id, { fields: { lastname: 'Ng' } }),
      step('sStale00001', 'dynamics.contact.create', stale.id, { fields: { lastname: 'Ng' } }),
      step('sStale00002', 'dynamics.contact.retrieve', stale.id, {}),
    );
    const result = await validateFlow(ctx, doc);
    expect(summary(result.problems)).toEqual([
      'sForeign001 account_missing params.accountId',
      'sStale00001 account_needs_reconnect params.accountId',
      'sStale00002 account_needs_reconnect params.accountId',
    ]);
    expect(result.problems[1]!.message).toContain('the password was changed');

    const down = await validateFlowWith(ctx, flow(step('sDown000001', 'dynamics.contact.create', accountId, { fields: {} })), {
      cache: new MetadataCache(),
      getClient: unreachable('ECONNREFUSED'),
    });
    expect(summary(down.problems)).toEqual(['sDown000001 account_unreachable params.accountId']);
    expect(down.problems[0]!.message).toContain('ECONNREFUSED');
  });

  it('gives an account whose organization refuses the metadata requests one problem per step, not an exception', async () => {
    await setFaults(sandbox, [{ kind: '500', path: 'EntityDefinitions' }]);
    try {
      const result = await validateFlowWith(
        ctx,
        flow(
          step('sA000000001', 'dynamics.contact.create', accountId, { fields: {} }),
          step('sB000000001', 'dynamics.lead.retrieve', accountId, {}),
        ),
        { cache: new MetadataCache() },
      );
      expect(summary(result.problems)).toEqual([
        'sA000000001 account_unreachable params.accountId',
        'sB000000001 account_unreachable params.accountId',
      ]);
      expect(JSON.stringify(result.problems)).not.toMatch(/sandbox-secret|access_token|Bearer/i);
    } finally {
      await setFaults(sandbox, []);
    }
  });

  it('stops when the validation is aborted, rather than calling the account unreachable', async () => {
    const controller = new AbortController();
    controller.abort(new Error('the editor closed'));
    const doc = flow(step('sA000000001', 'dynamics.contact.create', accountId, { fields: { lastname: 'Ng' } }));
    await expect(validateFlowWith({ ...ctx, signal: controller.signal }, doc, { cache: new MetadataCache() })).rejects.toThrow(
      'the editor closed',
    );
  });

  it('refuses a document that does not parse with its parse problems only', async () => {
    const result = await validateFlow(ctx, { schemaVersion: 2, name: 'x', nodes: [{ id: 'a' }], edges: [] });
    expect(result.document).toBeUndefined();
    expect(result.problems.length).toBeGreaterThan(0);
  });
});
