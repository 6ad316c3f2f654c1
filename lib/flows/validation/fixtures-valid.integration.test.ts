/**
 * Every v2 flow fixture and every complete document shown in docs/flow-document.md passes the full
 * validation (structure, expression syntax, and metadata: each Dynamics step's inputs against its
 * action's own input schema, each trigger's columns and conditions) against the sandbox's
 * organization over real HTTP. The docs are what people copy: an example that validation refuses
 * is a flow that cannot start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAccount, type AccountContext } from '@/lib/dynamics/accounts/account-service';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { createTestUser, openTestDb, type TestDb } from '@/test/support/db';
import { startSandbox, type TestSandbox } from '@/test/support/sandbox';
import type { Problem } from '../model/problem';
import { validateFlow } from './validate-flow';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'flows', 'v2');
const DOC = readFileSync(join(process.cwd(), 'docs', 'flow-document.md'), 'utf8');

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [`fixture ${f}`, JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as unknown] as const);

/**
 * Every ```json block of the docs that is a whole flow document (it has a schemaVersion; v1 ones
 * are migrated by the validation like a stored v1 document), named by the heading above it.
 */
const examples = [...DOC.matchAll(/```json\n([\s\S]*?)```/g)].flatMap((m, i) => {
  const value = JSON.parse(m[1]!) as unknown;
  if (typeof value !== 'object' || value === null || !('schemaVersion' in value)) return [];
  const heading = [...DOC.slice(0, m.index).matchAll(/^#+ (.*)$/gm)].pop()?.[1] ?? '(top)';
  return [[`docs block ${i + 1} under "${heading}"`, value] as const];
});

/** The documents with each node's account (a placeholder in the files) set to the connected one. */
function withAccount(doc: unknown, accountId: string): unknown {
  const copy = structuredClone(doc) as { nodes?: { params?: { accountId?: unknown } }[] };
  for (const node of copy.nodes ?? []) if (node.params && 'accountId' in node.params) node.params.accountId = accountId;
  return copy;
}

const summary = (problems: Problem[]) => problems.map((p) => `${p.nodeId ?? '-'} ${p.code} ${p.field ?? '-'}: ${p.message}`);

let sandbox: TestSandbox;
let db: TestDb;
let ctx: AccountContext;
let accountId: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') } }));
  sandbox = await startSandbox();
  // The sandbox listens on a loopback port: allow it the way DYNAMICS_ALLOWED_HOSTS would.
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
  process.env.NEXTAUTH_URL = new URL(sandbox.service).origin;
  db = await openTestDb('sqlite');
  const user = await createTestUser(db, 'fixtures');
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
afterAll(async () => {
  process.env = savedEnv;
  setProcessKeyring(undefined);
  await db?.close();
  await sandbox?.close();
});

describe('the v2 fixtures and the docs examples validate against the sandbox with metadata', () => {
  it('finds the fixtures and the examples (one per fixture at least)', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(19);
    expect(examples.length).toBeGreaterThanOrEqual(fixtures.length);
    // The Dynamics ones are what this test is for: they must be among them.
    expect(fixtures.filter(([name]) => name.includes('dynamics-')).length).toBe(11);
  });

  it('reaches the metadata layer: a column the sandbox lacks and an input the action does not take are problems', async () => {
    // Without the account's metadata both would pass, and so would every example below.
    const raw = fixtures.find(([name]) => name.endsWith('dynamics-action-create.json'))![1] as {
      nodes: { params: { inputs: Record<string, unknown> } }[];
    };
    const doc = withAccount(raw, accountId) as typeof raw;
    const inputs = doc.nodes[1]!.params.inputs as { fields: Record<string, unknown> };
    inputs.fields.new_nosuchcolumn = 1;
    (inputs as Record<string, unknown>).top = 5;
    const { problems } = await validateFlow(ctx, doc);
    expect(problems.map((p) => `${p.code} ${p.field}`).sort()).toEqual([
      'invalid_input params.inputs.top',
      'unknown_column params.inputs.fields.new_nosuchcolumn',
    ]);
  });

  it.each([...fixtures, ...examples])('%s has no problem', async (_name, raw) => {
    const result = await validateFlow(ctx, withAccount(raw, accountId));
    expect(result.document).toBeDefined();
    expect(summary(result.problems)).toEqual([]);
  });
});
