/**
 * "Test this step" through the service and the real runtime (workers, expression evaluator,
 * database of each kind): only the chosen step runs, with the draft's current inputs, on what an
 * earlier finished run recorded; nothing after it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@/lib/errors/domain-error';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, waitForRuns } from '@/test/support/flow-docs';
import { createExpressionEvaluator } from '../expressions/evaluator';
import { startRunWorkers, type RunWorkers } from '../runtime/run-workers';
import { createFlow } from './create-flow';
import type { FlowServiceContext } from './flow-context';
import { saveFlow } from './save-flow';
import { testFlow } from './test-flow';

const doc = (message: string) =>
  flowDoc(
    [
      { id: 'trig', type: 'manual.trigger' },
      { id: 'setv', type: 'toolbox.set_variable', inputs: { variable: 'who', value: { expr: '$uppercase($trigger.name)' } } },
      { id: 'greet', type: 'toolbox.log', inputs: { message: { expr: message } } },
      { id: 'after', type: 'toolbox.log', inputs: { message: 'after' } },
      { id: 'loop', type: 'toolbox.for_each', inputs: { items: { expr: '[1, 2]' } } },
      { id: 'body', type: 'toolbox.log', inputs: { message: { expr: '$string($item)' } } },
    ],
    [
      { from: 'trig', to: 'setv' },
      { from: 'setv', to: 'greet' },
      { from: 'greet', to: 'after' },
      { from: 'after', to: 'loop' },
      { from: 'loop', handle: 'each', to: 'body' },
    ],
  );

const codeOf = async (call: Promise<unknown>) =>
  call.then(
    () => 'ok',
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );

describe.each(DATABASE_KINDS)('Test this step on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let workers: RunWorkers;
  const evaluator = createExpressionEvaluator({ workers: 1 });
  beforeAll(async () => {
    db = await openTestDb(kind);
    owner = { db, ownerId: (await createTestUser(db, 'stepper')).id };
    workers = startRunWorkers({ db, workerId: `step-${kind}`, evaluator: () => evaluator, concurrency: 2, pollMs: 50, leaseMs: 5_000 });
  });
  afterAll(async () => {
    await workers.stop(2_000);
    await evaluator.close();
    await db.close();
  });

  const stepsOf = async (runId: string) =>
    (
      await db.db.selectFrom('run_steps').select(['node_id', 'status', 'input_json', 'output_json']).where('run_id', '=', runId).execute()
    ).map((s) => ({
      nodeId: s.node_id,
      status: s.status,
      input: JSON.parse(s.input_json ?? 'null') as unknown,
      output: JSON.parse(s.output_json ?? 'null') as unknown,
    }));

  it("runs only the step, with the draft's new inputs, on the earlier run's trigger data and variables", async () => {
    const { id } = await createFlow(owner, { name: 'step test', document: doc('"Hello " & $vars.who') });
    const first = await testFlow(owner, id, { trigger: { name: 'ada' } });
    expect((await waitForRuns(db, [first.runId]))[0]!.status).toBe('succeeded');

    // The person edits the step, then tests just it.
    await saveFlow(owner, id, { document: doc('"Goodbye " & $vars.who & " from " & $trigger.name'), baseVersion: 1 });
    const again = await testFlow(owner, id, { step: { nodeId: 'greet', fromRunId: first.runId } });
    const [row] = await waitForRuns(db, [again.runId]);
    expect(row!.status).toBe('succeeded');
    const steps = await stepsOf(again.runId);
    expect(steps.map((s) => s.nodeId)).toEqual(['greet']);
    expect(steps[0]).toMatchObject({ status: 'succeeded', output: { message: 'Goodbye ADA from ada' } });
    const run = await db.db
      .selectFrom('runs')
      .select(['mode', 'flow_version', 'trigger_json'])
      .where('id', '=', again.runId)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({ mode: 'test', trigger_json: JSON.stringify({ name: 'ada' }) });
    expect(Number(run.flow_version)).toBe(2);
  });

  it('refuses a step inside a For each, the trigger, another flow’s run, and an unfinished run', async () => {
    const { id } = await createFlow(owner, { name: 'refusals', document: doc('"x"') });
    const { id: otherId } = await createFlow(owner, { name: 'other', document: doc('"y"') });
    const done = await testFlow(owner, id, { trigger: { name: 'x' } });
    await waitForRuns(db, [done.runId]);
    expect(await codeOf(testFlow(owner, id, { step: { nodeId: 'body', fromRunId: done.runId } }))).toBe('step_in_loop');
    expect(await codeOf(testFlow(owner, id, { step: { nodeId: 'trig', fromRunId: done.runId } }))).toBe('step_is_trigger');
    expect(await codeOf(testFlow(owner, otherId, { step: { nodeId: 'greet', fromRunId: done.runId } }))).toBe('not_found');
    const stranger = { db, ownerId: (await createTestUser(db, 'stranger-step')).id };
    const theirs = await createFlow(stranger, { name: 'theirs', document: doc('"z"') });
    expect(await codeOf(testFlow(stranger, theirs.id, { step: { nodeId: 'greet', fromRunId: done.runId } }))).toBe('not_found');
    // A run still in progress: its state is not final yet.
    await db.db.updateTable('runs').set({ status: 'running' }).where('id', '=', done.runId).execute();
    expect(await codeOf(testFlow(owner, id, { step: { nodeId: 'greet', fromRunId: done.runId } }))).toBe('run_not_finished');
    await db.db.updateTable('runs').set({ status: 'succeeded' }).where('id', '=', done.runId).execute();
    expect(await codeOf(testFlow(owner, id, { step: { nodeId: 'greet', fromRunId: done.runId } }))).toBe('ok');
  });
});
