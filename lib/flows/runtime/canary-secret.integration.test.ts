/**
 * S2 (conventions-and-quality.md), canary secret: an account whose client secret and password both
 * carry a unique canary string (the sandbox's directory is given that app registration and user),
 * and flows run by the run workers on SQLite and PostgreSQL that succeed (create → update → Set
 * variable; an update of a missing record routed to an error path that stores the whole failed
 * step) and that fail (the same update not routed: Dataverse 404; a Fail step; a create that
 * outlasts its retries against 503s; an account whose stored password is wrong, so the sign-in is
 * refused). Then the canary appears nowhere: not in any row of any table of the database (runs and
 * run_steps included, every column; the account's secrets are stored encrypted), not in the run
 * views the API serves (getRun, listRuns), not in anything the runtime logged or this process
 * printed.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccountSecrets, updateAccount } from '@/lib/db/repositories/accounts';
import { forgetAccount } from '@/lib/dynamics/accounts/account-service';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { requestLog, setFaults } from '@/test/support/client-fixtures';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, storeFlow, waitForRuns } from '@/test/support/flow-docs';
import { addSandboxPrincipal, connectSandboxAccount, contactFlow } from '@/test/support/runtime-fixtures';
import { startSandbox, type TestSandbox } from '@/test/support/sandbox';
import { createExpressionEvaluator } from '../expressions/evaluator';
import { getRun } from '../service/get-run';
import { listRuns } from '../service/list-runs';
import { enqueueRuns } from './enqueue';
import { startRunWorkers, type RunWorkers } from './run-workers';

const CANARY = `canary${randomUUID().replace(/-/g, '')}`;
const CREDS = {
  username: 'canary@sandbox.local',
  password: `pw-${CANARY}`,
  clientId: 'canary-app',
  clientSecret: `cs-${CANARY}`,
};

let sandbox: TestSandbox;
let principal: { remove(): void };
const savedEnv = { ...process.env };
/** Everything this process printed while the suites ran (console and the standard streams). */
const printed: string[] = [];
const restoreOutput: (() => void)[] = [];

function captureOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return write(chunk, ...rest);
    }) as typeof stream.write;
    restoreOutput.push(() => (stream.write = write));
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => {
      printed.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      original(...args);
    };
    restoreOutput.push(() => (console[level] = original));
  }
}

beforeAll(async () => {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') } }));
  sandbox = await startSandbox();
  principal = addSandboxPrincipal(sandbox, CREDS);
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
  process.env.NEXTAUTH_URL = new URL(sandbox.service).origin;
  captureOutput();
});
afterAll(async () => {
  for (const restore of restoreOutput.splice(0)) restore();
  principal.remove();
  await sandbox.close();
  process.env = savedEnv;
  setProcessKeyring(undefined);
});

describe.each(DATABASE_KINDS)('S2 on %s: a canary in the account secret', (kind) => {
  let db: TestDb;
  let ownerId: string;
  let workers: RunWorkers;
  const logs: string[] = [];
  const evaluator = createExpressionEvaluator({ workers: 1 });

  beforeAll(async () => {
    db = await openTestDb(kind);
    ownerId = (await createTestUser(db, 's2')).id;
    workers = startRunWorkers({
      db,
      workerId: `s2-${kind}`,
      evaluator: () => evaluator,
      concurrency: 4,
      pollMs: 100,
      log: (m) => logs.push(m),
    });
  });
  afterAll(async () => {
    await workers.stop(2_000);
    await evaluator.close();
    await db.close();
  });

  async function runAll(flowId: string, count = 1) {
    const enqueued = await enqueueRuns(
      db,
      Array.from({ length: count }, () => ({ ownerId, flowId, flowVersion: 1, trigger: { note: 'hello' }, triggerKind: 'manual.trigger' })),
    );
    return waitForRuns(
      db,
      enqueued.map((e) => e.runId),
      30_000,
    );
  }

  /** Every row of every table, as text. */
  async function wholeDatabase(): Promise<Map<string, string>> {
    const tables =
      kind === 'sqlite'
        ? (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(db.db)).rows.map((r) => r.name)
        : (
            await sql<{
              name: string;
            }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(db.db)
          ).rows.map((r) => r.name);
    const out = new Map<string, string>();
    for (const table of tables) {
      const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db.db)).rows;
      out.set(
        table,
        JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
      );
    }
    return out;
  }

  it('succeeding and failing runs leave the canary in no row, run view, log or output', async () => {
    const accountId = await connectSandboxAccount(db, ownerId, sandbox, { name: 'Canary', ...CREDS });
    // The canary is the account's secret (stored encrypted), so everything below had it to leak.
    expect(await readAccountSecrets(db, ownerId, accountId)).toMatchObject({ clientSecret: CREDS.clientSecret, password: CREDS.password });
    // An account whose stored password went stale (still with the canary in it): its sign-in is refused.
    const staleId = await connectSandboxAccount(db, ownerId, sandbox, { name: 'Canary stale', ...CREDS });
    await updateAccount(db, ownerId, staleId, {
      secrets: { clientSecret: CREDS.clientSecret, username: CREDS.username, password: `old-${CANARY}` },
    });
    await forgetAccount(staleId);

    const tag = `s2-${kind}-${Date.now().toString(36)}`;
    const missing = randomUUID();
    const updateMissing = (onError?: 'route') =>
      flowDoc(
        [
          { id: 'trig', type: 'manual.trigger' },
          {
            id: 'edit',
            type: 'dynamics.contact.update',
            accountId,
            ...(onError ? { onError } : {}),
            inputs: { match: { by: 'id', id: missing }, fields: { jobtitle: 'x' } },
          },
          ...(onError
            ? [{ id: 'keep', type: 'toolbox.set_variable', inputs: { variable: 'failed', value: { expr: '$steps.edit' } } }]
            : []),
        ],
        onError
          ? [
              { from: 'trig', to: 'edit' },
              { from: 'edit', handle: 'error', to: 'keep' },
            ]
          : undefined,
      );
    const createAs = (id: string, retry?: { maxAttempts: number; delaySeconds: number; backoff: 'fixed' }) =>
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        { id: 'make', type: 'dynamics.contact.create', accountId: id, ...(retry ? { retry } : {}), inputs: { fields: { lastname: tag } } },
      ]);

    const succeeded = [
      ...(await runAll(await storeFlow(db, ownerId, contactFlow(accountId, tag)), 3)),
      ...(await runAll(await storeFlow(db, ownerId, updateMissing('route')))),
    ];
    const notFound = await runAll(await storeFlow(db, ownerId, updateMissing()));
    const failStep = await runAll(
      await storeFlow(
        db,
        ownerId,
        flowDoc([
          { id: 'trig', type: 'manual.trigger' },
          { id: 'stop', type: 'toolbox.fail', inputs: { code: 'no_customer', message: { expr: '"no customer for " & $trigger.note' } } },
        ]),
      ),
    );
    await setFaults(sandbox, [{ kind: '503', method: 'POST', path: '/contacts' }]);
    let unavailable;
    try {
      unavailable = await runAll(await storeFlow(db, ownerId, createAs(accountId, { maxAttempts: 2, delaySeconds: 0, backoff: 'fixed' })));
    } finally {
      await setFaults(sandbox, []);
    }
    const staleFlow = await storeFlow(db, ownerId, createAs(staleId));
    // The first run's sign-in is refused and the account marked for reconnecting; the second run's
    // step fails with the refusal the client remembered, without signing in again.
    const mark = Math.max(0, ...(await requestLog(sandbox)).map((r) => r.seq));
    const refused = [...(await runAll(staleFlow)), ...(await runAll(staleFlow))];
    const signIns = (await requestLog(sandbox)).filter((r) => r.seq > mark && r.path.includes('/oauth2/v2.0/token'));
    expect(signIns.map((r) => r.status)).toEqual([400]);
    expect(await db.db.selectFrom('accounts').select('status').where('id', '=', staleId).executeTakeFirstOrThrow()).toEqual({
      status: 'needs_reconnect',
    });

    // Each path was taken as intended.
    expect(succeeded.map((r) => [r.status, r.error])).toEqual(succeeded.map(() => ['succeeded', null]));
    expect([...notFound, ...failStep, ...unavailable, ...refused].map((r) => [r.status, r.error?.code])).toEqual([
      ['failed', 'dataverse_404'],
      ['failed', 'no_customer'],
      ['failed', 'dataverse_503'],
      ['failed', 'dataverse_400'],
      ['failed', 'dataverse_400'],
    ]);
    expect(refused.map((r) => r.error?.message)).toEqual(refused.map(() => expect.stringMatching(/^The username or password is wrong/)));
    const all = [...succeeded, ...notFound, ...failStep, ...unavailable, ...refused];

    // Nowhere in the database: runs and run_steps (every column) and every other table.
    const runRows = await db.db.selectFrom('runs').selectAll().where('owner_id', '=', ownerId).execute();
    const stepRows = await db.db.selectFrom('run_steps').selectAll().where('owner_id', '=', ownerId).execute();
    expect(runRows).toHaveLength(all.length);
    expect(stepRows.length).toBeGreaterThan(all.length);
    expect(JSON.stringify(runRows)).not.toContain(CANARY);
    expect(JSON.stringify(stepRows)).not.toContain(CANARY);
    const leaks = [...(await wholeDatabase())].filter(([, text]) => text.includes(CANARY)).map(([table]) => table);
    expect(leaks).toEqual([]);

    // Nowhere in what the API serves for the runs.
    const views = await Promise.all(all.map((r) => getRun({ db, ownerId }, r.id)));
    expect(views.flatMap((v) => v.steps ?? []).length).toBe(stepRows.length);
    expect(JSON.stringify(views)).not.toContain(CANARY);
    expect(JSON.stringify(await listRuns({ db, ownerId }, {}))).not.toContain(CANARY);

    // Nowhere in the runtime's log or anything printed.
    expect(logs.filter((m) => m.includes(CANARY))).toEqual([]);
    expect(printed.filter((m) => m.includes(CANARY))).toEqual([]);
  }, 90_000);
});
