/**
 * R1 (conventions-and-quality.md), crash mid-run: 200 runs of a 3-step Dataverse flow (create a
 * contact → update it → Set variable) executed by the embedded runtime in a child process
 * (test/support/runtime-child.ts: startRuntime, RUNTIME=embedded, RUN_LEASE_MS=2000) on a real
 * SQLite file, and again on PostgreSQL (the runs table as the queue in both). The child is killed with SIGKILL twice and restarted each time: once at a random
 * moment, once right after the sandbox answered a create with 2xx (so the answer is in the child's
 * hands but its step record is not committed — the window a crash must not turn into a second
 * record). The sandbox runs here, in the test process, so it outlives every kill.
 * Then: 200/200 runs succeeded, 0 stuck running, exactly one contact per run (read back through
 * the sandbox's Web API by lastname = run id), each updated, and exactly one create per run that
 * the sandbox carried out (a retried create after a crash is refused as a duplicate key and
 * settles as done); only runs a kill interrupted sent any write a second time.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { setFaults } from '@/test/support/client-fixtures';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { storeFlow, waitForRuns } from '@/test/support/flow-docs';
import { connectSandboxAccount, contactFlow, contactsTagged, groupBy, tapSandbox, type WireTap } from '@/test/support/runtime-fixtures';
import { startSandbox, type TestSandbox } from '@/test/support/sandbox';
import { enqueueRuns } from './enqueue';

const root = resolve(__dirname, '../../..');
const ENCRYPTION_KEY = Buffer.alloc(32, 5).toString('base64');
const RUNS = 200;
const LEASE_MS = 2_000;
const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

interface Child {
  exited: Promise<void>;
  isExited(): boolean;
  kill(): void;
  stderr(): string;
}

describe.each(DATABASE_KINDS)('R1 on %s: the runtime process killed mid-run and restarted', (kind) => {
  let sandbox: TestSandbox;
  let tap: WireTap;
  let db: TestDb;
  let ownerId: string;
  let accountId: string;
  const savedEnv = { ...process.env };
  const children: Child[] = [];

  beforeAll(async () => {
    setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: ENCRYPTION_KEY } }));
    sandbox = await startSandbox();
    tap = tapSandbox(sandbox);
    process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
    process.env.NEXTAUTH_URL = new URL(sandbox.service).origin;
    db = await openTestDb(kind);
    ownerId = (await createTestUser(db, 'r1')).id;
    accountId = await connectSandboxAccount(db, ownerId, sandbox, { name: 'R1' });
  });
  afterAll(async () => {
    for (const c of children) c.kill();
    await Promise.all(children.map((c) => c.exited));
    tap.stop();
    await sandbox.close();
    await db.close();
    process.env = savedEnv;
    setProcessKeyring(undefined);
  });

  /** Starts the runtime process and resolves once it says it is ready. */
  async function startChild(): Promise<Child> {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/runtime-child.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        ...db.env,
        APP_ENCRYPTION_KEY: ENCRYPTION_KEY,
        DYNAMICS_ALLOWED_HOSTS: process.env.DYNAMICS_ALLOWED_HOSTS,
        NEXTAUTH_URL: process.env.NEXTAUTH_URL,
        RUNTIME: 'embedded',
        RUN_WORKERS: '16',
        RUN_LEASE_MS: String(LEASE_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let exited = false;
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<void>((r) => proc.on('exit', () => ((exited = true), r())));
    const child: Child = { exited: exit, isExited: () => exited, kill: () => void proc.kill('SIGKILL'), stderr: () => stderr };
    children.push(child);
    await new Promise<void>((ready, fail) => {
      let stdout = '';
      proc.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('ready ')) ready();
      });
      void exit.then(() => fail(new Error(`the runtime process exited before it was ready: ${stderr}`)));
    });
    return child;
  }

  const countRuns = async (status: string) =>
    Number(
      (
        await db.db
          .selectFrom('runs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', status)
          .executeTakeFirstOrThrow()
      ).n,
    );

  const runningIds = async () => (await db.db.selectFrom('runs').select('id').where('status', '=', 'running').execute()).map((r) => r.id);

  async function untilSucceeded(n: number, child: Child): Promise<void> {
    while ((await countRuns('succeeded')) < n) {
      if (child.isExited()) throw new Error(`the runtime process exited: ${child.stderr()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('200/200 runs succeed, none stuck, exactly one contact and one carried-out create per run', async () => {
    const tag = `r1-${Date.now().toString(36)}`;
    const flowId = await storeFlow(db, ownerId, contactFlow(accountId, tag));
    // Writes take a little while, so that kills land while calls are in flight.
    await setFaults(sandbox, [{ kind: 'delay', rate: 1, delayMs: 10, path: '/contacts' }]);
    const started = Date.now();
    const enqueued = await enqueueRuns(
      db,
      Array.from({ length: RUNS }, () => ({ ownerId, flowId, flowVersion: 1, trigger: {}, triggerKind: 'manual.trigger' })),
    );
    const ids = enqueued.map((e) => e.runId);

    // Kill 1: at a random moment, once a random share of the runs is done.
    const first = await startChild();
    await untilSucceeded(randomInt(20, 90), first);
    await new Promise((r) => setTimeout(r, randomInt(0, 40)));
    first.kill();
    await first.exited;
    const interruptedByFirst = await runningIds();

    // Kill 2: a few milliseconds after the sandbox answered a create 2xx, before the child can
    // have committed that step.
    const second = await startChild();
    await untilSucceeded(randomInt(110, 160), second);
    let answeredRun: string | undefined;
    await new Promise<void>((killed) => {
      tap.onAnswer = (e) => {
        if (e.method !== 'POST' || !e.path.startsWith('/api/data/v9.2/contacts') || e.status < 200 || e.status >= 300) return;
        tap.onAnswer = undefined;
        answeredRun = (JSON.parse(e.body) as { lastname: string }).lastname;
        setTimeout(() => (second.kill(), killed()), randomInt(0, 3));
      };
    });
    await second.exited;
    const interruptedBySecond = await runningIds();

    // Restarted: the runs the kills interrupted resume once their lease expires.
    const third = await startChild();
    const rows = await waitForRuns(db, ids, 60_000);
    const elapsed = Date.now() - started;
    await setFaults(sandbox, []);
    third.kill();
    await third.exited;

    console.error(
      `R1 on ${kind}: ${interruptedByFirst.length} and ${interruptedBySecond.length} runs interrupted by the kills; all ended after ${elapsed} ms`,
    );
    // Both kills interrupted runs in progress; the second one a run whose create had been answered.
    expect(interruptedByFirst.length).toBeGreaterThan(0);
    expect(interruptedBySecond.length).toBeGreaterThan(0);
    expect(interruptedBySecond).toContain(answeredRun);

    expect(rows.filter((r) => r.status !== 'succeeded').map((r) => [r.id, r.status, r.error])).toEqual([]);
    expect(await countRuns('running')).toBe(0);
    expect(elapsed).toBeLessThan(90_000);

    const contacts = groupBy(await contactsTagged(sandbox, tag), (c) => c.lastname);
    expect(contacts.size).toBe(RUNS);
    const wrong = ids.filter((id) => contacts.get(id)?.length !== 1 || contacts.get(id)![0]!.jobtitle !== `done ${id}`);
    expect(wrong).toEqual([]);

    // Exactly one create per run was carried out (2xx); any other try of it was refused.
    const creates = groupBy(
      tap.entries.filter((e) => e.method === 'POST' && e.path.startsWith('/api/data/v9.2/contacts')),
      (e) => (JSON.parse(e.body) as { lastname?: string }).lastname,
    );
    const carriedOut = ids.filter((id) => (creates.get(id) ?? []).filter((e) => e.status >= 200 && e.status < 300).length !== 1);
    expect(carriedOut).toEqual([]);
    // The create of the run killed right after its answer: when the kill came before the step was
    // saved it was sent again after the restart, and refused; when the save won the race it was not.
    const answered = creates.get(answeredRun!)!.map((e) => e.status >= 200 && e.status < 300);
    expect([[true], [true, false]]).toContainEqual(answered);

    // Only a run a kill interrupted sent any write twice (a create or an update tried again).
    const updates = groupBy(
      tap.entries.filter((e) => e.method === 'PATCH' && e.path.startsWith('/api/data/v9.2/contacts(')),
      (e) => (JSON.parse(e.body) as { jobtitle: string }).jobtitle.replace(/^done /, ''),
    );
    const interrupted = new Set([...interruptedByFirst, ...interruptedBySecond]);
    const resent = ids.filter((id) => (creates.get(id)?.length ?? 0) > 1 || (updates.get(id)?.length ?? 0) > 1);
    expect(resent.filter((id) => !interrupted.has(id))).toEqual([]);
    expect(ids.filter((id) => (updates.get(id) ?? []).filter((e) => e.status >= 200 && e.status < 300).length < 1)).toEqual([]);

    // Every step recorded as succeeded once per run.
    const steps = await db.db
      .selectFrom('run_steps')
      .select(['run_id', 'step_id', 'status'])
      .where('run_id', 'in', ids)
      .where('status', '=', 'succeeded')
      .execute();
    const perRun = groupBy(steps, (s) => s.run_id);
    expect(
      ids.filter(
        (id) =>
          (perRun.get(id) ?? [])
            .map((s) => s.step_id)
            .sort()
            .join() !== 'edit,make,note,trig',
      ),
    ).toEqual([]);
    // Nothing went wrong inside a runtime process before it was killed.
    for (const c of children) expect(c.stderr()).toBe('');
  }, 110_000);
});
