/** Test runs of a draft, reading runs and rerunning them, on a real database of each kind. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@/lib/errors/domain-error';
import { ApiError } from '@/lib/server/api-error';
import { toApiError } from '@/lib/server/domain-to-http';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { enqueueRuns } from '../runtime/enqueue';
import { createFlow } from './create-flow';
import type { FlowServiceContext } from './flow-context';
import { getRun } from './get-run';
import { rerun } from './rerun';
import { saveFlow } from './save-flow';
import { startFlow } from './start-flow';
import { testFlow } from './test-flow';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/flows/v2/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const manual = fixture('manual-trigger'); // its sample payload is { hello: 'world' }
const withLog = fixture('toolbox-log');
const api = fixture('api-request-response');

async function apiErrorOf(call: Promise<unknown>): Promise<ApiError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  const result = toApiError(err);
  expect(result).toBeInstanceOf(ApiError);
  return result as ApiError;
}

describe.each(DATABASE_KINDS)('testFlow, getRun and rerun on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let stranger: FlowServiceContext;
  beforeAll(async () => {
    db = await openTestDb(kind);
    owner = { db, ownerId: (await createTestUser(db, 'owner')).id };
    stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id };
  });
  afterAll(() => db.close());

  const runCount = async (flowId: string) => (await db.db.selectFrom('runs').select('id').where('flow_id', '=', flowId).execute()).length;

  it("enqueues one queued run of the draft in mode 'test', with the trigger's sample payload, whether or not the flow is started", async () => {
    const { id } = await createFlow(owner, { name: 'try me', document: manual });
    const { runId } = await testFlow(owner, id, {});
    expect(runId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const run = await getRun(owner, runId);
    expect(run).toMatchObject({
      id: runId,
      flowId: id,
      flowVersion: 1,
      mode: 'test',
      status: 'queued',
      triggerKind: 'manual.trigger',
      rerunOf: null,
      trigger: { hello: 'world' },
      steps: [],
      startedAt: null,
      durationMs: null,
    });
    expect(await runCount(id)).toBe(1);
  });

  it('runs the current version (the draft), not the published one, with the trigger data given', async () => {
    const { id } = await createFlow(owner, { name: 'draft wins', document: manual });
    await startFlow(owner, id);
    await saveFlow(owner, id, { document: withLog, baseVersion: 1 });
    const { runId } = await testFlow(owner, id, { trigger: { given: [1, 2] } });
    expect(await getRun(owner, runId)).toMatchObject({ flowVersion: 2, mode: 'test', trigger: { given: [1, 2] } });
  });

  it('an API-triggered flow without a sample payload gets null trigger data and its trigger kind', async () => {
    const { id } = await createFlow(owner, { name: 'api', document: api });
    const { runId } = await testFlow(owner, id, {});
    expect(await getRun(owner, runId)).toMatchObject({ triggerKind: 'api.request', trigger: null });
  });

  it('refuses a draft with problems: 422 flow_invalid with the problems, and enqueues nothing', async () => {
    const { id } = await createFlow(owner, { name: 'broken', document: { schemaVersion: 2, name: 'x', nodes: [], edges: [] } });
    const err = await apiErrorOf(testFlow(owner, id, {}));
    expect(err.status).toBe(422);
    expect(err.code).toBe('flow_invalid');
    expect(err.message).toBe('The flow cannot be tested: version 1 has a problem.');
    expect((err.details as { problems: { code: string }[] }).problems.map((p) => p.code)).toEqual(['no_trigger']);
    expect(await runCount(id)).toBe(0);
  });

  it('reruns the same version with the same trigger data and mode, naming the old run, even after the flow changed', async () => {
    const { id } = await createFlow(owner, { name: 'again', document: manual });
    const { runId: first } = await testFlow(owner, id, { trigger: { n: 1 } });
    await saveFlow(owner, id, { document: withLog, baseVersion: 1 });
    const { runId: second } = await rerun(owner, first);
    expect(second).not.toBe(first);
    expect(await getRun(owner, second)).toMatchObject({
      flowId: id,
      flowVersion: 1,
      mode: 'test',
      status: 'queued',
      triggerKind: 'manual.trigger',
      trigger: { n: 1 },
      rerunOf: first,
    });
    // A live run's rerun is live too.
    await startFlow(owner, id);
    const [live] = await enqueueRuns(db, [
      { ownerId: owner.ownerId, flowId: id, flowVersion: 2, trigger: { n: 2 }, triggerKind: 'manual.trigger' },
    ]);
    const { runId: liveRerun } = await rerun(owner, live!.runId);
    expect(await getRun(owner, liveRerun)).toMatchObject({ mode: 'live', flowVersion: 2, trigger: { n: 2 }, rerunOf: live!.runId });
  });

  it('gives another owner not_found for test, read and rerun, and enqueues nothing for them', async () => {
    const { id } = await createFlow(owner, { name: 'mine', document: manual });
    const { runId } = await testFlow(owner, id, {});
    for (const call of [() => testFlow(stranger, id, {}), () => getRun(stranger, runId), () => rerun(stranger, runId)]) {
      expect((await apiErrorOf(call())).status).toBe(404);
    }
    expect(await runCount(id)).toBe(1);
    expect((await apiErrorOf(getRun(owner, '01JZ8Q3V6X0C5T9M2B7R4K1HFD'))).status).toBe(404);
  });
});
