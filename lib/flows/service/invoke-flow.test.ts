import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopFlow } from './stop-flow';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, storeFlow } from '@/test/support/flow-docs';
import { createExpressionEvaluator } from '../expressions/evaluator';
import { startRunWorkers, type RunWorkers } from '../runtime/run-workers';
import { invokeFlow, MAX_CHAIN_DEPTH, type InvokeRequest } from './invoke-flow';
import { startFlow } from './start-flow';

const echo = flowDoc([
  { id: 'req', type: 'api.request', inputs: { method: 'POST' } },
  { id: 'setv', type: 'toolbox.set_variable', inputs: { variable: 'who', value: { expr: '$trigger.body.name' } } },
  { id: 'answer', type: 'api.response', inputs: { status: 201, headers: { 'x-greeting': 'hi' }, body: { hello: { expr: '$vars.who' } } } },
]);

describe.each(DATABASE_KINDS)('invokeFlow on %s', (kind) => {
  let db: TestDb;
  let ownerId: string;
  let otherId: string;
  let workers: RunWorkers;
  const evaluator = createExpressionEvaluator({ workers: 1 });

  beforeAll(async () => {
    db = await openTestDb(kind);
    ownerId = (await createTestUser(db, 'invoker')).id;
    otherId = (await createTestUser(db, 'stranger')).id;
    workers = startRunWorkers({ db, workerId: `inv-${kind}`, evaluator: () => evaluator, concurrency: 4, pollMs: 100 });
  });
  afterAll(async () => {
    await workers.stop(2_000);
    await evaluator.close();
    await db.close();
  });

  async function started(doc: unknown = echo): Promise<{ flowId: string; key: string }> {
    const flowId = await storeFlow(db, ownerId, doc);
    const s = await startFlow({ db, ownerId }, flowId);
    return { flowId, key: s.invokeKey! };
  }
  const request = (over: Partial<InvokeRequest>): InvokeRequest => ({
    flowId: 'none',
    method: 'POST',
    key: undefined,
    userId: undefined,
    body: { name: 'Ada' },
    query: {},
    headers: {},
    idempotencyKey: undefined,
    chainDepth: 0,
    waitMs: 10_000,
    ...over,
  });
  const runsOf = (flowId: string) => db.db.selectFrom('runs').select(['id', 'trigger_json']).where('flow_id', '=', flowId).execute();

  it("answers with the Response step's status, headers and body, and records the request as trigger data", async () => {
    const { flowId, key } = await started();
    const answer = await invokeFlow(db, request({ flowId, key, query: { source: 'crm' }, headers: { 'user-agent': 'curl' } }));
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ hello: 'Ada' });
    expect(answer.headers['x-greeting']).toBe('hi');
    const [run] = await runsOf(flowId);
    expect(answer.headers['x-run-id']).toBe(run!.id);
    expect(JSON.parse(run!.trigger_json!)).toEqual({
      method: 'POST',
      body: { name: 'Ada' },
      query: { source: 'crm' },
      headers: { 'user-agent': 'curl' },
    });
  });

  it("accepts the owner's token instead of the key; refuses a wrong key, an unknown flow and another user alike", async () => {
    const { flowId, key } = await started();
    expect((await invokeFlow(db, request({ flowId, userId: ownerId }))).status).toBe(201);
    await expect(invokeFlow(db, request({ flowId, key: `${key}x` }))).rejects.toMatchObject({ status: 401, code: 'invalid_flow_key' });
    await expect(invokeFlow(db, request({ flowId: 'nope', key }))).rejects.toMatchObject({ status: 401, code: 'invalid_flow_key' });
    await expect(invokeFlow(db, request({ flowId }))).rejects.toMatchObject({ status: 401 });
    await expect(invokeFlow(db, request({ flowId, userId: otherId }))).rejects.toMatchObject({ status: 404 });
    expect(await runsOf(flowId)).toHaveLength(1);
  });

  it('refuses a stopped flow and a method the trigger does not accept', async () => {
    const { flowId, key } = await started();
    await expect(invokeFlow(db, request({ flowId, key, method: 'GET', body: undefined }))).rejects.toMatchObject({ status: 405 });
    await stopFlow({ db, ownerId }, flowId);
    await expect(invokeFlow(db, request({ flowId, key }))).rejects.toMatchObject({ status: 409, code: 'flow_not_started' });
    expect(await runsOf(flowId)).toHaveLength(0);
  });

  it('starts one run per Idempotency-Key: a replayed delivery gets the same run and answer', async () => {
    const { flowId, key } = await started();
    const [a, b] = await Promise.all([
      invokeFlow(db, request({ flowId, key, idempotencyKey: 'delivery-1' })),
      invokeFlow(db, request({ flowId, key, idempotencyKey: 'delivery-1' })),
    ]);
    const c = await invokeFlow(db, request({ flowId, key, idempotencyKey: 'delivery-1' }));
    expect(new Set([a.headers['x-run-id'], b.headers['x-run-id'], c.headers['x-run-id']]).size).toBe(1);
    expect(c).toEqual(a);
    expect(await runsOf(flowId)).toHaveLength(1);
  });

  it('answers 202 with the run id when the wait is over first, and 502 when the run fails before answering', async () => {
    const { flowId, key } = await started();
    const early = await invokeFlow(db, request({ flowId, key, waitMs: 0 }));
    expect(early.status).toBe(202);
    expect(early.body).toMatchObject({ runId: early.headers['x-run-id'] });

    const failing = await started(
      flowDoc(
        [
          { id: 'req', type: 'api.request' },
          {
            id: 'cond',
            type: 'toolbox.if',
            inputs: { condition: { match: 'all', rules: [{ left: { expr: '$trigger.body.name' }, operator: 'eq', right: 'ok' }] } },
          },
          { id: 'answer', type: 'api.response', inputs: { status: 200 } },
          { id: 'boom', type: 'toolbox.fail', inputs: { code: 'bad_lead', message: 'No e-mail' } },
        ],
        [
          { from: 'req', to: 'cond' },
          { from: 'cond', handle: 'then', to: 'answer' },
          { from: 'cond', handle: 'else', to: 'boom' },
        ],
      ),
    );
    const failed = await invokeFlow(db, request({ ...failing }));
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ error: { code: 'flow_failed', details: { reason: 'bad_lead' } } });
  });

  it(`stops a chain of runs deeper than ${MAX_CHAIN_DEPTH} (a flow that re-triggers itself, R11)`, async () => {
    const { flowId, key } = await started();
    expect((await invokeFlow(db, request({ flowId, key, chainDepth: MAX_CHAIN_DEPTH }))).status).toBe(201);
    await expect(invokeFlow(db, request({ flowId, key, chainDepth: MAX_CHAIN_DEPTH + 1 }))).rejects.toMatchObject({
      status: 409,
      code: 'flow_loop',
    });
  });
});
