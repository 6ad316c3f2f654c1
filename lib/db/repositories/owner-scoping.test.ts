// Owner scoping, table-driven: Bob calls every repository function with Alice's ids and must
// neither see nor change anything of hers. A new repository function fails the coverage check
// below until it gets a row in this table (or a reasoned exemption).
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryFromBytes } from '../../secrets/key-material';
import { setProcessKeyring } from '../../secrets/keyring';
import type { Db } from '../database';
import type { DB } from '../schema';
import { DATABASE_KINDS, createTestUser, openTestDb, type TestDb } from '../../../test/support/db';
import * as accounts from './accounts';
import * as apiTokens from './api-tokens';
import * as flowVersions from './flow-versions';
import * as flows from './flows';
import * as runSteps from './run-steps';
import * as runs from './runs';
import * as triggerState from './trigger-state';
import * as users from './users';

interface AliceRows {
  aliceId: string;
  accountId: string;
  flowId: string;
  runId: string;
  stepId: string;
  tokenId: string;
  triggerKey: string;
}

type Call = (db: Db, bobId: string, a: AliceRows) => Promise<unknown>;
/** Each case says what "denied" looks like for its function. */
type Expect = 'undefined' | 'false' | 'empty' | 'excludes-alice';

const cases: Record<string, [Call, Expect]> = {
  'accounts.findAccount': [(db, bob, a) => accounts.findAccount(db, bob, a.accountId), 'undefined'],
  'accounts.listAccounts': [(db, bob) => accounts.listAccounts(db, bob), 'excludes-alice'],
  'accounts.updateAccount': [
    (db, bob, a) => accounts.updateAccount(db, bob, a.accountId, { name: 'pwned', secrets: { x: 'y' } }),
    'undefined',
  ],
  'accounts.readAccountSecrets': [(db, bob, a) => accounts.readAccountSecrets(db, bob, a.accountId), 'undefined'],
  'accounts.deleteAccount': [(db, bob, a) => accounts.deleteAccount(db, bob, a.accountId), 'false'],
  'apiTokens.listApiTokens': [(db, bob) => apiTokens.listApiTokens(db, bob), 'excludes-alice'],
  'apiTokens.revokeApiToken': [(db, bob, a) => apiTokens.revokeApiToken(db, bob, a.tokenId), 'false'],
  'apiTokens.deleteApiToken': [(db, bob, a) => apiTokens.deleteApiToken(db, bob, a.tokenId), 'false'],
  'flows.findFlow': [(db, bob, a) => flows.findFlow(db, bob, a.flowId), 'undefined'],
  'flows.listFlows': [(db, bob) => flows.listFlows(db, bob), 'excludes-alice'],
  'flows.listFlowPage': [(db, bob) => flows.listFlowPage(db, bob, { q: '' }), 'excludes-alice'],
  'flows.publishFlow': [
    (db, bob, a) => flows.publishFlow(db, bob, a.flowId, { version: 1, startedAt: new Date().toISOString() }),
    'undefined',
  ],
  'flows.setFlowInvokeKey': [(db, bob, a) => flows.setFlowInvokeKey(db, bob, a.flowId, { hash: 'evil', prefix: 'dfk_evil' }), 'false'],
  'flows.updateFlow': [(db, bob, a) => flows.updateFlow(db, bob, a.flowId, { status: 'active', name: 'pwned' }), 'undefined'],
  'flows.deleteFlow': [(db, bob, a) => flows.deleteFlow(db, bob, a.flowId), 'false'],
  'flowVersions.saveFlowVersion': [(db, bob, a) => flowVersions.saveFlowVersion(db, bob, a.flowId, { evil: true }), 'undefined'],
  'flowVersions.findFlowVersion': [(db, bob, a) => flowVersions.findFlowVersion(db, bob, a.flowId), 'undefined'],
  'flowVersions.listFlowVersions': [(db, bob, a) => flowVersions.listFlowVersions(db, bob, a.flowId), 'empty'],
  'runs.createRun': [(db, bob, a) => runs.createRun(db, bob, { flowId: a.flowId, flowVersion: 1 }), 'undefined'],
  'runs.findRun': [(db, bob, a) => runs.findRun(db, bob, a.runId), 'undefined'],
  'runs.listRuns': [(db, bob, a) => runs.listRuns(db, bob, { flowId: a.flowId }), 'empty'],
  'runs.updateRun': [(db, bob, a) => runs.updateRun(db, bob, a.runId, { status: 'cancelled' }), 'undefined'],
  'runs.deleteRun': [(db, bob, a) => runs.deleteRun(db, bob, a.runId), 'false'],
  'runSteps.createRunStep': [(db, bob, a) => runSteps.createRunStep(db, bob, { runId: a.runId, stepId: 'evil' }), 'undefined'],
  'runSteps.findRunStep': [(db, bob, a) => runSteps.findRunStep(db, bob, a.stepId), 'undefined'],
  'runSteps.listRunSteps': [(db, bob, a) => runSteps.listRunSteps(db, bob, a.runId), 'empty'],
  'runSteps.updateRunStep': [(db, bob, a) => runSteps.updateRunStep(db, bob, a.stepId, { status: 'failed', output: 'x' }), 'undefined'],
  'triggerState.getTriggerState': [(db, bob, a) => triggerState.getTriggerState(db, bob, a.flowId, a.triggerKey), 'undefined'],
  'triggerState.listTriggerStates': [(db, bob, a) => triggerState.listTriggerStates(db, bob, a.flowId), 'empty'],
  'triggerState.putTriggerState': [(db, bob, a) => triggerState.putTriggerState(db, bob, a.flowId, a.triggerKey, { evil: 1 }), 'false'],
  'triggerState.deleteTriggerState': [(db, bob, a) => triggerState.deleteTriggerState(db, bob, a.flowId), 'false'],
};

/** Functions with no other owner's id to pass, and why. */
const exempt: Record<string, string> = {
  'accounts.createAccount': 'creates a row for the caller only',
  'apiTokens.createApiToken': 'creates a row for the caller only',
  'apiTokens.findActiveTokenByHash': 'authentication: finds the owner from the secret token itself',
  'flows.createFlow': 'creates a row for the caller only',
  'users.createUser': 'users are the owners, not owned rows',
  'users.findUserByEmail': 'users are the owners (sign-in)',
  'users.findUserById': 'users are the owners (session lookup)',
  'users.countUsers': 'installation-wide count for the first-run sign-up',
  'users.updateUser': 'users are the owners; routes pass the signed-in user id',
  'users.normalizeEmail': 'pure helper',
};

const modules = { accounts, apiTokens, flowVersions, flows, runSteps, runs, triggerState, users };

const OWNED_TABLES = ['api_tokens', 'accounts', 'flows', 'flow_versions', 'runs', 'run_steps', 'trigger_state'] as const;

async function snapshot(db: Db, ownerId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of OWNED_TABLES) {
    const rows = await db.db
      .selectFrom(table as keyof DB)
      .selectAll()
      .where('owner_id' as never, '=', ownerId as never)
      .execute();
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

function containsId(value: unknown, ids: string[]): boolean {
  const text = JSON.stringify(value) ?? '';
  return ids.some((id) => text.includes(id));
}

it('every repository function has an owner-scoping case or a reasoned exemption', () => {
  const exported = Object.entries(modules).flatMap(([name, mod]) =>
    Object.entries(mod)
      .filter(([, v]) => typeof v === 'function')
      .map(([fn]) => `${name}.${fn}`),
  );
  const uncovered = exported.filter((fn) => !(fn in cases) && !(fn in exempt));
  expect(uncovered).toEqual([]);
  expect(Object.keys(cases).filter((fn) => !exported.includes(fn))).toEqual([]);
});

describe.each(DATABASE_KINDS)('owner scoping on %s', (kind) => {
  let db: TestDb;
  let bobId: string;
  let alice: AliceRows;
  let before: Record<string, unknown[]>;

  beforeAll(async () => {
    setProcessKeyring({ current: entryFromBytes(randomBytes(32)), previous: [], source: 'env' });
    db = await openTestDb(kind);
    const a = await createTestUser(db, 'alice');
    bobId = (await createTestUser(db, 'bob')).id;
    const account = await accounts.createAccount(db, a.id, {
      application: 'dynamics',
      name: 'Alice org',
      serviceUrl: 'https://alice.crm.dynamics.com',
      apiVersion: 'v9.2',
      identityEndpoint: 'https://login.microsoftonline.com/organizations',
      authMethod: 'password',
      secrets: { password: 'alice-secret' },
    });
    const { flow } = await flows.createFlow(db, a.id, { name: 'Alice flow', document: { nodes: [] } });
    const run = await runs.createRun(db, a.id, { flowId: flow.id, flowVersion: 1 });
    const step = await runSteps.createRunStep(db, a.id, { runId: run?.id ?? '', stepId: 'n1' });
    const tokenHash = createHash('sha256').update(randomBytes(16)).digest('hex');
    const token = await apiTokens.createApiToken(db, a.id, { name: 'alice', tokenHash, prefix: 'dfd_alic' });
    await triggerState.putTriggerState(db, a.id, flow.id, 'poll:lead', { at: 1 });
    alice = {
      aliceId: a.id,
      accountId: account.id,
      flowId: flow.id,
      runId: run?.id ?? '',
      stepId: step?.id ?? '',
      tokenId: token.id,
      triggerKey: 'poll:lead',
    };
    // Bob has rows of his own, so "empty" answers are not empty by accident of an empty database.
    const bobFlow = await flows.createFlow(db, bobId, { name: 'Bob flow', document: {} });
    await runs.createRun(db, bobId, { flowId: bobFlow.flow.id, flowVersion: 1 });
    before = await snapshot(db, a.id);
  });
  afterAll(async () => {
    await db?.close();
    setProcessKeyring(undefined);
  });

  it.each(Object.entries(cases))('%s denies Bob access to Alice’s rows', async (_name, [call, denied]) => {
    const result = await call(db, bobId, alice);
    const aliceIds = Object.values(alice);
    if (denied === 'undefined') expect(result).toBeUndefined();
    if (denied === 'false') expect(result).toBe(false);
    if (denied === 'empty') expect(result).toEqual([]);
    if (denied === 'excludes-alice') {
      expect(Array.isArray(result)).toBe(true);
      expect(containsId(result, aliceIds)).toBe(false);
    }
    expect(await snapshot(db, alice.aliceId)).toEqual(before);
  });

  it('the database itself refuses child rows whose owner differs from the parent’s', async () => {
    const now = new Date().toISOString();
    await expect(
      db.db
        .insertInto('runs')
        .values({
          id: 'forged',
          owner_id: bobId,
          flow_id: alice.flowId,
          flow_version: 1,
          status: 'queued',
          trigger_json: null,
          error_json: null,
          started_at: null,
          finished_at: null,
          created_at: now,
        })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db.db
        .insertInto('flow_versions')
        .values({ id: 'forged', flow_id: alice.flowId, owner_id: bobId, version: 99, document_json: '{}', created_at: now })
        .execute(),
    ).rejects.toThrow();
    expect(await snapshot(db, alice.aliceId)).toEqual(before);
  });
});
