/**
 * Installation-wide limits between real processes (R6, and R4's "no request to a throttled
 * (environment, principal) before its Retry-After"): two worker processes (test/support/
 * limits-worker-child.ts, each with its own client registry and its own database connection) share
 * one Dataverse user of the sandbox over real HTTP, on SQLite and on PostgreSQL. The sandbox's own
 * per-user in-flight count and its request log are the judges.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestLog, setFaults } from '@/test/support/client-fixtures';
import { DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { setupTestSandbox, type TestSandbox } from '@/test/support/sandbox';

const root = resolve(__dirname, '../../../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const CAP = 8;

interface Sent {
  id: string;
  sentAt: number;
  receivedAt: number;
  status: number;
}
interface Done {
  type: 'done';
  sent: Sent[];
  peak: number;
  failed: number;
}

/** A worker process speaking the child's line protocol. */
class Child {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly messages: Record<string, unknown>[] = [];
  private waiting: (() => void) | undefined;
  private stderr = '';
  private readonly exited: Promise<number | null>;

  constructor(env: Record<string, string | undefined>, config: Record<string, unknown>) {
    this.proc = spawn(tsx, ['test/support/limits-worker-child.ts'], {
      cwd: root,
      env: { NODE_ENV: 'test', PATH: process.env.PATH, HOME: process.env.HOME, ...env, DFD_LIMITS_CHILD: JSON.stringify(config) },
    });
    this.proc.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      this.messages.push(JSON.parse(line) as Record<string, unknown>);
      this.waiting?.();
    });
    this.exited = new Promise((r) => this.proc.on('exit', (code) => r(code)));
    this.exited.then(() => this.waiting?.());
  }

  async next<T>(type: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex((m) => m.type === type);
      if (i >= 0) return this.messages.splice(i, 1)[0] as T;
      if (this.proc.exitCode !== null) throw new Error(`child exited (${this.proc.exitCode}): ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no '${type}' from the child: ${this.stderr}`);
      await new Promise<void>((r) => {
        this.waiting = r;
        setTimeout(r, 200);
      });
    }
  }

  send(message: Record<string, unknown>): void {
    this.proc.stdin.write(`${JSON.stringify(message)}\n`);
  }

  async run(entitySet: string, calls: number, startAt: number): Promise<Done> {
    this.send({ type: 'run', entitySet, calls, startAt });
    return this.next<Done>('done', 60_000);
  }

  async exit(): Promise<number | null> {
    if (this.proc.exitCode === null) this.send({ type: 'exit' });
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

const t = setupTestSandbox({ reset: false });

async function sandboxPeak(sandbox: TestSandbox): Promise<number> {
  const res = await sandbox.hook('concurrency');
  const { value } = (await res.json()) as { value: { user: string; active: number; peak: number }[] };
  return Math.max(0, ...value.map((v) => v.peak));
}

describe.each(DATABASE_KINDS)('two worker processes sharing one Dataverse user, on %s', (kind) => {
  let db: TestDb;
  let a: Child;
  let b: Child;
  beforeAll(async () => {
    db = await openTestDb(kind);
    const accountId = `acct-${randomUUID()}`;
    const config = (workerId: string) => ({
      workerId,
      service: t.service,
      authority: t.authority,
      accountId,
      concurrency: CAP,
      heartbeatMs: 1_000,
      expectWorkers: 2,
    });
    a = new Child(db.env, config('worker-a'));
    b = new Child(db.env, config('worker-b'));
    await Promise.all([a.next('ready', 60_000), b.next('ready', 60_000)]);
  }, 90_000);
  afterAll(async () => {
    const codes = await Promise.all([a?.exit(), b?.exit()]);
    await db?.close();
    expect(codes).toEqual([0, 0]);
  });
  beforeEach(async () => {
    await t.hook('faults', { method: 'DELETE' });
    await t.hook('requests', { method: 'DELETE' });
    await t.hook('concurrency', { method: 'DELETE' });
  });

  it('500 queued calls (250 per process): the sandbox never holds more than the cap for the user', async () => {
    // Each request is held 15 ms by the sandbox, so the two processes' requests overlap.
    await setFaults(t, [{ kind: 'delay', delayMs: 15, method: 'GET', path: '/contacts' }]);
    const startAt = Date.now() + 300;
    const [da, db_] = await Promise.all([a.run('contacts', 250, startAt), b.run('contacts', 250, startAt)]);
    expect([da.failed, db_.failed]).toEqual([0, 0]);
    expect([da.sent.length, db_.sent.length]).toEqual([250, 250]);
    // Each process kept to its share: 8 split over two live processes.
    expect(da.peak).toBeLessThanOrEqual(CAP / 2);
    expect(db_.peak).toBeLessThanOrEqual(CAP / 2);
    const peak = await sandboxPeak(t);
    expect(peak).toBeLessThanOrEqual(CAP);
    // Both processes were in flight at once (else the cap would hold trivially).
    expect(peak).toBeGreaterThan(CAP / 2);
  }, 60_000);

  it("a Retry-After seen by one process holds the other's requests for that user until it expires", async () => {
    await setFaults(t, [{ kind: '429', count: 1, retryAfterSeconds: 2, method: 'GET', path: '/accounts' }]);
    const startA = Date.now() + 300;
    // B starts well after A's 429 was recorded (its gate cache is 250 ms), while the gate is still closed.
    const startB = startA + 800;
    const [da, db_] = await Promise.all([a.run('accounts', 1, startA), b.run('contacts', 10, startB)]);
    expect([da.failed, db_.failed]).toEqual([0, 0]);
    expect(da.sent.map((s) => s.status)).toEqual([429, 200]);

    const log = (await requestLog(t)).filter((r) => r.path.startsWith('/api/'));
    const throttled = log.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(1);
    // The sandbox answered the 429 at `answered`; its Retry-After ran until answered + 2 s at the earliest.
    const answered = Date.parse(throttled[0]!.time) + throttled[0]!.durationMs;
    const fromB = log.filter((r) => r.path.includes('/contacts'));
    expect(fromB).toHaveLength(10);
    for (const r of fromB) expect(Date.parse(r.time)).toBeGreaterThanOrEqual(answered + 2_000 - 1);
    // B really waited: it was ready to send more than a second before the gate opened.
    expect(Math.min(...db_.sent.map((s) => s.sentAt)) - startB).toBeGreaterThan(1_000);
  }, 30_000);
});
