import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, storeFlow, waitForRuns } from '@/test/support/flow-docs';
import { createExpressionEvaluator } from '../expressions/evaluator';
import { enqueueRuns } from './enqueue';
import { startRunWorkers, type RunWorkers } from './run-workers';

/** R11 and S4 through the runtime: runaway flows and expressions end in a clean failed state. */
describe('runaway flows', () => {
  let db: TestDb;
  let ownerId: string;
  let workers: RunWorkers;
  let hanging: Server;
  let hangingUrl: string;
  const evaluator = createExpressionEvaluator({ workers: 1, timeoutMs: 500 });
  const previousAllowed = process.env.HTTP_STEP_ALLOWED_HOSTS;

  beforeAll(async () => {
    db = await openTestDb('sqlite');
    ownerId = (await createTestUser(db, 'runaway')).id;
    hanging = createServer(() => {}); // never answers
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const port = (hanging.address() as AddressInfo).port;
    hangingUrl = `http://127.0.0.1:${port}/slow`;
    process.env.HTTP_STEP_ALLOWED_HOSTS = `127.0.0.1:${port}`;
    workers = startRunWorkers({
      db,
      workerId: 'runaway',
      evaluator: () => evaluator,
      concurrency: 4,
      pollMs: 100,
      limits: { maxDurationMs: 1_500, maxSteps: 300, maxOutputBytes: 1024 * 1024 },
      log: () => {},
    });
  });
  afterAll(async () => {
    await workers.stop(2_000);
    hanging.closeAllConnections();
    hanging.close();
    await evaluator.close();
    await db.close();
    if (previousAllowed === undefined) delete process.env.HTTP_STEP_ALLOWED_HOSTS;
    else process.env.HTTP_STEP_ALLOWED_HOSTS = previousAllowed;
  });

  async function run(doc: unknown, trigger: unknown = {}) {
    const flowId = await storeFlow(db, ownerId, doc);
    const [e] = await enqueueRuns(db, [{ ownerId, flowId, flowVersion: 1, trigger, triggerKind: 'manual.trigger' }]);
    const started = Date.now();
    const [row] = await waitForRuns(db, [e!.runId], 15_000);
    const steps = await db.db.selectFrom('run_steps').select(['step_id', 'status']).where('run_id', '=', e!.runId).execute();
    return { ...row!, ms: Date.now() - started, steps };
  }

  const loop = (items: unknown, body: number) =>
    flowDoc(
      [
        { id: 'trig', type: 'manual.trigger' },
        { id: 'each', type: 'toolbox.for_each', inputs: { items, concurrency: 5 } },
        ...Array.from({ length: body }, (_, i) => ({ id: `b${i}`, type: 'toolbox.log', inputs: { message: { expr: '$string($item)' } } })),
      ],
      [
        { from: 'trig', to: 'each' },
        { from: 'each', handle: 'each', to: 'b0' },
        ...Array.from({ length: body - 1 }, (_, i) => ({ from: `b${i}`, to: `b${i + 1}` })),
        { from: `b${body - 1}`, to: 'each' },
      ],
    );

  it('a For each over 100,000 items fails before any iteration, naming its ceiling', async () => {
    const r = await run(loop({ expr: '[1..100000]' }, 1));
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'too_many_items', nodeId: 'each' });
    expect(r.error?.message).toContain('5000');
    expect(r.steps.filter((s) => s.step_id.includes('#'))).toEqual([]);
  });

  it('a loop that would pass the step ceiling stops there with too_many_steps', async () => {
    const r = await run(loop({ expr: '[1..200]' }, 2));
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('too_many_steps');
    expect(r.steps.length).toBeLessThanOrEqual(302);
  });

  it('a run past its duration ends failed while its step is still waiting, and the step is stopped', async () => {
    const r = await run(
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        { id: 'slow', type: 'http.request', inputs: { method: 'GET', url: hangingUrl, timeoutSeconds: 60 }, retry: { maxAttempts: 1 } },
      ]),
    );
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('run_timeout');
    expect(r.ms).toBeLessThan(8_000);
  });

  it('a runaway expression (infinite recursion, a huge product) fails its step with the evaluator’s error', async () => {
    const recursion = await run(
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        {
          id: 'setv',
          type: 'toolbox.set_variable',
          inputs: { variable: 'x', value: { expr: '($f := function($n){ $f($n + 1) }; $f(0))' } },
        },
      ]),
    );
    expect(recursion.status).toBe('failed');
    expect(recursion.error?.message).toMatch(/^value: /);
    const product = await run(
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        { id: 'setv', type: 'toolbox.set_variable', inputs: { variable: 'x', value: { expr: '[1..10000].([1..10000])' } } },
      ]),
    );
    expect(product.status).toBe('failed');
    expect(product.error?.nodeId).toBe('setv');
  });
});
