/**
 * Dynamics action steps end to end: real account rows (SQLite and PostgreSQL) read through
 * getClientForAccount, the sandbox organization over real HTTP, the executor the registry hands
 * the runtime. Records are read back through the sandbox's Web API, not through the code under test.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAccount } from '@/lib/db/repositories/accounts';
import { connectAccount, type AccountContext } from '@/lib/dynamics/accounts/account-service';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { requestLog, setFaults } from '@/test/support/client-fixtures';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { startSandbox, type TestSandbox } from '@/test/support/sandbox';
import type { FlowNode } from '../model/schema';
import { retriesInside, stepExecutorFor } from './registry';
import { cachedStepClients, forgetStepClients } from './step-clients';
import { StepError, type StepContext } from './step-executor';

let sandbox: TestSandbox;
const savedEnv = { ...process.env };

beforeAll(async () => {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') } }));
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

type Retry = { maxAttempts: number; delaySeconds: number; backoff: 'fixed' | 'exponential' };

async function failure(p: Promise<unknown>): Promise<StepError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StepError);
  return e as StepError;
}

const contactsNamed = async (lastname: string) =>
  (await sandbox.json<{ value: { contactid: string }[] }>(`contacts?$select=contactid&$filter=lastname eq '${lastname}'`)).body.value.map(
    (c) => ({ contactid: c.contactid }),
  );

describe.each(DATABASE_KINDS)('Dynamics action steps on %s with the sandbox', (kind) => {
  let db: TestDb;
  let ctx: AccountContext;
  let accountId: string;
  const connect = (name: string) =>
    connectAccount(ctx, {
      method: 'password',
      serviceUrl: sandbox.service,
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
      username: 'sales@sandbox.local',
      password: 'sandbox',
      name,
    });

  beforeAll(async () => {
    db = await openTestDb(kind);
    const user = await createTestUser(db, 'stepper');
    ctx = { db, ownerId: user.id, appOrigin: new URL(sandbox.service).origin };
    accountId = (await connect('Steps')).id;
  });
  afterAll(() => db.close());

  function step(type: string, opts: { runId?: string; attempt?: number; retry?: Retry; account?: string; ownerId?: string } = {}) {
    const node = {
      id: 'sStep000001',
      type,
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: { accountId: opts.account ?? accountId, inputs: {}, ...(opts.retry ? { retry: opts.retry } : {}) },
    } as FlowNode;
    const runId = opts.runId ?? randomUUID();
    const context: StepContext = {
      db,
      ownerId: opts.ownerId ?? ctx.ownerId,
      flowId: 'flow-1',
      runId,
      mode: 'test',
      stepKey: node.id,
      node,
      attempt: opts.attempt ?? 1,
      idempotencyKey: `${runId}:${node.id}`,
      chainDepth: 0,
      signal: new AbortController().signal,
      log: () => {},
    };
    const executor = stepExecutorFor(type);
    if (!executor) throw new Error(`no executor for ${type}`);
    return (inputs: Record<string, unknown>) => executor(context, inputs);
  }

  it('creates a record and returns what the action returns; the runtime is told not to retry it again', async () => {
    const lastname = `Step-${randomUUID().slice(0, 8)}`;
    const { output } = await step('dynamics.contact.create')({ fields: { lastname, firstname: 'Ada' } });
    const id = (output as { id: string }).id;
    expect(await contactsNamed(lastname)).toEqual([{ contactid: id }]);
    expect(retriesInside('dynamics.contact.create')).toBe(true);
  });

  it('the same idempotency key twice makes one record (R8)', async () => {
    const lastname = `Twice-${randomUUID().slice(0, 8)}`;
    const runId = randomUUID();
    const first = await step('dynamics.contact.create', { runId })({ fields: { lastname } });
    const again = await step('dynamics.contact.create', { runId, attempt: 2 })({ fields: { lastname } });
    expect(again.output).toEqual(first.output);
    expect(await contactsNamed(lastname)).toHaveLength(1);
  });

  it('survives a create whose answer is lost: the client retries inside per the step policy, one record (R8)', async () => {
    const lastname = `Lost-${randomUUID().slice(0, 8)}`;
    await setFaults(sandbox, [{ kind: 'drop_after', count: 1, method: 'POST', path: '/contacts' }]);
    try {
      const { output } = await step('dynamics.contact.create', { retry: { maxAttempts: 3, delaySeconds: 0, backoff: 'fixed' } })({
        fields: { lastname },
      });
      expect(await contactsNamed(lastname)).toEqual([{ contactid: (output as { id: string }).id }]);
      const posts = (await requestLog(sandbox)).filter((r) => r.method === 'POST' && r.body.includes(lastname));
      expect(posts.length).toBe(2);
    } finally {
      await setFaults(sandbox, []);
    }
  });

  it('fails bad input precisely, naming the column, without calling Dataverse to write', async () => {
    const e = await failure(step('dynamics.contact.create')({ fields: { lastname: 'X', nosuchcolumn: 1 } }));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/^The input of dynamics\.contact\.create is not valid: fields.*nosuchcolumn/);
    expect(e.retryable).toBe(false);
    const unknown = await failure(step('dynamics.nosuchtable.create')({ fields: {} }));
    expect(unknown.code).toBe('unknown_table');
  });

  it('maps a Dataverse failure that outlasted the retries to dataverse_<status>, final, secret-free', async () => {
    const lastname = `Busy-${randomUUID().slice(0, 8)}`;
    const mark = Math.max(0, ...(await requestLog(sandbox)).map((r) => r.seq));
    await setFaults(sandbox, [{ kind: '503', method: 'POST', path: '/contacts' }]);
    try {
      const e = await failure(
        step('dynamics.contact.create', { retry: { maxAttempts: 2, delaySeconds: 0, backoff: 'fixed' } })({ fields: { lastname } }),
      );
      expect(e.code).toBe('dataverse_503');
      expect(e.retryable).toBe(false);
      expect(e.options.status).toBe(503);
      expect(e.message).toMatch(/503/);
      expect(JSON.stringify([e.message, e.options.data])).not.toMatch(/sandbox-secret|eyJ|Bearer /);
      // Two tries, as the step's policy says, both answered 503 by the fault.
      const posts = (await requestLog(sandbox)).filter((r) => r.seq > mark && r.method === 'POST' && r.path.includes('/contacts'));
      expect(posts.map((r) => r.status)).toEqual([503, 503]);
    } finally {
      await setFaults(sandbox, []);
    }
  });

  it('fails with account_needs_reconnect and account_not_found before any call', async () => {
    const stale = await connect('Stale');
    await updateAccount(db, ctx.ownerId, stale.id, { status: 'needs_reconnect', statusReason: 'the password was changed' });
    const e = await failure(step('dynamics.contact.create', { account: stale.id })({ fields: { lastname: 'X' } }));
    expect(e.code).toBe('account_needs_reconnect');
    expect(e.message).toContain('the password was changed');
    const other = await createTestUser(db, 'other');
    const foreign = await failure(step('dynamics.contact.create', { ownerId: other.id })({ fields: { lastname: 'X' } }));
    expect(foreign.code).toBe('account_not_found');
  });

  it('reuses the client across steps and drops it when the account is forgotten', async () => {
    const fresh = await connect('Cached');
    const before = cachedStepClients();
    await step('dynamics.contact.retrieve', { account: fresh.id })({ match: { conditions: { match: 'all', conditions: [] } } }).catch(
      () => undefined,
    );
    await step('dynamics.account.retrieve', { account: fresh.id })({}).catch(() => undefined);
    expect(cachedStepClients()).toBe(before + 1);
    forgetStepClients(fresh.id);
    expect(cachedStepClients()).toBe(before);
  });
});
