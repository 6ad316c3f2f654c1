import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, storeFlow, waitForRuns } from '@/test/support/flow-docs';
import { createExpressionEvaluator } from '../expressions/evaluator';
import { enqueueRuns } from './enqueue';
import { executeRun } from './run-executor';
import { claimRun } from './run-store';
import { startRunWorkers, type RunWorkers } from './run-workers';

/** A local HTTP service the HTTP request step may call (allow-listed), scripted per test. */
interface Service {
  url: string;
  seen: { idempotencyKey: string | undefined; body: string }[];
  answer: (req: IncomingMessage, n: number) => { status: number; body?: unknown; hang?: boolean };
}

describe.each(DATABASE_KINDS)('the runtime on %s', (kind) => {
  let db: TestDb;
  let ownerId: string;
  let workers: RunWorkers;
  let server: Server;
  const service: Service = { url: '', seen: [], answer: () => ({ status: 200 }) };
  const evaluator = createExpressionEvaluator({ workers: 1 });
  const previousAllowed = process.env.HTTP_STEP_ALLOWED_HOSTS;

  beforeAll(async () => {
    db = await openTestDb(kind);
    ownerId = (await createTestUser(db, 'runtime')).id;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        service.seen.push({ idempotencyKey: req.headers['idempotency-key'] as string | undefined, body });
        const a = service.answer(req, service.seen.length);
        if (a.hang) return;
        res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body ?? { ok: a.status < 400 }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    service.url = `http://127.0.0.1:${port}/hook`;
    process.env.HTTP_STEP_ALLOWED_HOSTS = `127.0.0.1:${port}`;
    workers = startRunWorkers({ db, workerId: `w-${kind}`, evaluator: () => evaluator, concurrency: 4, pollMs: 100, leaseMs: 5_000 });
  });
  afterAll(async () => {
    await workers.stop(2_000);
    server.closeAllConnections();
    server.close();
    await evaluator.close();
    await db.close();
    if (previousAllowed === undefined) delete process.env.HTTP_STEP_ALLOWED_HOSTS;
    else process.env.HTTP_STEP_ALLOWED_HOSTS = previousAllowed;
  });

  async function run(doc: unknown, trigger: unknown = { body: { email: 'ada@example.test' } }) {
    const flowId = await storeFlow(db, ownerId, doc);
    const [e] = await enqueueRuns(db, [{ ownerId, flowId, flowVersion: 1, trigger, triggerKind: 'manual.trigger' }]);
    const [row] = await waitForRuns(db, [e!.runId]);
    const steps = await db.db
      .selectFrom('run_steps')
      .selectAll()
      .where('run_id', '=', e!.runId)
      .orderBy('started_at')
      .orderBy('attempt')
      .execute();
    return { ...row!, flowId, steps };
  }

  it('runs trigger → Set variable → If → Response, recording every step with its resolved input and output', async () => {
    const doc = flowDoc(
      [
        { id: 'trig', type: 'manual.trigger' },
        { id: 'setv', type: 'toolbox.set_variable', inputs: { variable: 'email', value: { expr: '$uppercase($trigger.body.email)' } } },
        {
          id: 'cond',
          type: 'toolbox.if',
          inputs: { condition: { match: 'all', rules: [{ left: { expr: '$vars.email' }, operator: 'contains', right: 'ADA' }] } },
        },
        { id: 'yes', type: 'api.response', inputs: { status: 201, body: { hello: { expr: '$vars.email' } } } },
        { id: 'no', type: 'toolbox.log', inputs: { message: 'not Ada' } },
      ],
      [
        { from: 'trig', to: 'setv' },
        { from: 'setv', to: 'cond' },
        { from: 'cond', handle: 'then', to: 'yes' },
        { from: 'cond', handle: 'else', to: 'no' },
      ],
    );
    const r = await run(doc);
    expect(r.status).toBe('succeeded');
    expect(r.response).toEqual({ status: 201, headers: {}, body: { hello: 'ADA@EXAMPLE.TEST' } });
    expect(r.steps.map((s) => [s.step_id, s.status])).toEqual([
      ['trig', 'succeeded'],
      ['setv', 'succeeded'],
      ['cond', 'succeeded'],
      ['yes', 'succeeded'],
    ]);
    expect(JSON.parse(r.steps[1]!.input_json!)).toEqual({ variable: 'email', value: 'ADA@EXAMPLE.TEST' });
    expect(r.steps.every((s) => s.duration_ms !== null && s.node_type !== null)).toBe(true);
  });

  it('runs a For each body once per item, several at a time, each iteration reading its own item and siblings', async () => {
    const doc = flowDoc(
      [
        { id: 'trig', type: 'manual.trigger' },
        { id: 'loop', type: 'toolbox.for_each', inputs: { items: { expr: '$trigger.items' }, concurrency: 3 } },
        { id: 'dbl', type: 'toolbox.set_variable', inputs: { variable: 'last', value: { expr: '$item * 2' } } },
        { id: 'say', type: 'toolbox.log', inputs: { message: { expr: '$string($index) & ":" & $string($steps.dbl.output.value)' } } },
        { id: 'end', type: 'toolbox.log', inputs: { message: 'done' } },
      ],
      [
        { from: 'trig', to: 'loop' },
        { from: 'loop', handle: 'each', to: 'dbl' },
        { from: 'dbl', to: 'say' },
        { from: 'say', to: 'loop' },
        { from: 'loop', handle: 'after', to: 'end' },
      ],
    );
    const items = Array.from({ length: 10 }, (_, i) => i + 1);
    const r = await run(doc, { items });
    expect(r.status, JSON.stringify(r.error)).toBe('succeeded');
    const said = r.steps.filter((s) => s.node_id === 'say').map((s) => JSON.parse(s.output_json!).message as string);
    expect(said.sort()).toEqual(items.map((v, i) => `${i}:${v * 2}`).sort());
    expect(r.steps.filter((s) => s.node_id === 'say').map((s) => s.step_id)).toContain('loop#9/say');
    expect(r.steps.at(-1)!.step_id).toBe('end');
  });

  it('retries an HTTP request on 503 with the same Idempotency-Key, then goes on', async () => {
    service.seen = [];
    service.answer = (_req, n) => (n <= 2 ? { status: 503 } : { status: 200, body: { accepted: true } });
    const doc = flowDoc([
      { id: 'trig', type: 'manual.trigger' },
      {
        id: 'call',
        type: 'http.request',
        inputs: { method: 'POST', url: service.url, body: { email: { expr: '$trigger.body.email' } } },
        retry: { maxAttempts: 4, delaySeconds: 0, backoff: 'fixed' },
      },
    ]);
    const r = await run(doc);
    expect(r.status, JSON.stringify(r.error)).toBe('succeeded');
    expect(r.steps.filter((s) => s.node_id === 'call').map((s) => [s.attempt, s.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'succeeded'],
    ]);
    expect(new Set(service.seen.map((s) => s.idempotencyKey))).toEqual(new Set([`${r.id}:call`]));
    expect(JSON.parse(service.seen[0]!.body)).toEqual({ email: 'ada@example.test' });
  });

  it('fails the run at a Fail step with its code and message, and routes an error path when asked', async () => {
    const failing = await run(
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        { id: 'stop', type: 'toolbox.fail', inputs: { code: 'no_email', message: { expr: '"missing " & "email"' } } },
      ]),
    );
    expect(failing.status).toBe('failed');
    expect(failing.error).toMatchObject({ code: 'no_email', message: 'missing email', nodeId: 'stop' });

    service.answer = () => ({ status: 404 });
    const routed = await run(
      flowDoc(
        [
          { id: 'trig', type: 'manual.trigger' },
          { id: 'call', type: 'http.request', inputs: { method: 'GET', url: service.url }, onError: 'route' },
          { id: 'onerr', type: 'api.response', inputs: { status: 502, body: { expr: '$steps.call.output.error.code' } } },
        ],
        [
          { from: 'trig', to: 'call' },
          { from: 'call', handle: 'error', to: 'onerr' },
        ],
      ),
    );
    expect(routed.status, JSON.stringify(routed.error)).toBe('succeeded');
    expect(routed.response).toMatchObject({ status: 502, body: 'http_404' });
  });

  it('fails a step whose expression fails, with the input path and a plain message', async () => {
    const r = await run(
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        { id: 'setv', type: 'toolbox.set_variable', inputs: { variable: 'x', value: { expr: '$number("abc")' } } },
      ]),
    );
    expect(r.status).toBe('failed');
    expect(r.error?.message).toMatch(/^value: /);
  });

  it('fails a step whose output passes the size limit (R11)', async () => {
    const r = await run(
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        { id: 'big', type: 'toolbox.set_variable', inputs: { variable: 'x', value: { expr: '$trigger.big' } } },
      ]),
      { big: 'x'.repeat(1_100_000) },
    );
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'output_too_large', nodeId: 'big' });
  });

  it('a second worker resumes a run whose worker stalled past its lease; the stalled one writes nothing more (fence)', async () => {
    service.seen = [];
    service.answer = (_req, n) => (n === 1 ? { status: 200, hang: true } : { status: 200, body: { n } });
    const flowId = await storeFlow(
      db,
      ownerId,
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        { id: 'call', type: 'http.request', inputs: { method: 'POST', url: service.url, timeoutSeconds: 3 }, retry: { maxAttempts: 1 } },
      ]),
    );
    // Not through the running workers: claim it by hand as "worker A", which then hangs in the call.
    await workers.stop(2_000);
    const [e] = await enqueueRuns(db, [{ ownerId, flowId, flowVersion: 1, trigger: {}, triggerKind: 'manual.trigger' }]);
    const claimedA = (await claimRun(db, 'stalled-A', 300, Date.now(), e!.runId))!;
    const a = executeRun({ db, evaluator: () => evaluator, leaseMs: 60_000 }, claimedA);
    // A's lease (300 ms, never renewed in time: leaseMs passed to executeRun is long) expires; B claims.
    await new Promise((r) => setTimeout(r, 600));
    await db.db.updateTable('runs').set({ lease_until: 0 }).where('id', '=', e!.runId).execute();
    workers = startRunWorkers({ db, workerId: `w2-${kind}`, evaluator: () => evaluator, concurrency: 2, pollMs: 100, leaseMs: 5_000 });
    const [row] = await waitForRuns(db, [e!.runId]);
    expect(row!.status).toBe('succeeded');
    expect(await a).toBe('lost');
    const steps = await db.db.selectFrom('run_steps').select(['step_id', 'status']).where('run_id', '=', e!.runId).execute();
    expect(steps.filter((s) => s.step_id === 'call')).toEqual([{ step_id: 'call', status: 'succeeded' }]);
    expect(service.seen.map((s) => s.idempotencyKey)).toEqual([`${e!.runId}:call`, `${e!.runId}:call`]);
  });

  it('gives a run whose retry waits long back to the queue, and finishes it when the wait is over', async () => {
    service.seen = [];
    service.answer = (_req, n) => (n === 1 ? { status: 429 } : { status: 200 });
    const flowId = await storeFlow(
      db,
      ownerId,
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        {
          id: 'call',
          type: 'http.request',
          inputs: { method: 'GET', url: service.url },
          retry: { maxAttempts: 2, delaySeconds: 6, backoff: 'fixed' },
        },
      ]),
    );
    const [e] = await enqueueRuns(db, [{ ownerId, flowId, flowVersion: 1, trigger: {}, triggerKind: 'manual.trigger' }]);
    const deadline = Date.now() + 5_000;
    let queued: { status: string; available_at: number | string } | undefined;
    while (Date.now() < deadline) {
      queued = await db.db.selectFrom('runs').select(['status', 'available_at']).where('id', '=', e!.runId).executeTakeFirstOrThrow();
      if (queued.status === 'queued' && Number(queued.available_at) > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(queued?.status).toBe('queued');
    expect(Number(queued?.available_at)).toBeGreaterThan(Date.now() + 1_000);
    const [row] = await waitForRuns(db, [e!.runId], 15_000);
    expect(row!.status).toBe('succeeded');
    expect(service.seen).toHaveLength(2);
  }, 20_000);
});
