import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateError } from '../errors';
import { DATABASE_KINDS, createTestUser, openTestDb, type TestDb } from '../../../test/support/db';
import { withTransaction } from '../transaction';
import { createFlow, type Flow } from './flows';
import { createRun, deleteRun, findRun, listRuns, updateRun } from './runs';
import { createRunStep, findRunStep, listRunSteps, updateRunStep } from './run-steps';
import { deleteTriggerState, getTriggerState, listTriggerStates, putTriggerState } from './trigger-state';
import type { User } from './users';

describe.each(DATABASE_KINDS)('runs, run steps and trigger state on %s', (kind) => {
  let db: TestDb;
  let alice: User;
  let flow: Flow;
  beforeAll(async () => {
    db = await openTestDb(kind);
    alice = await createTestUser(db, 'alice');
    flow = (await createFlow(db, alice.id, { name: 'Runs', document: { nodes: [] } })).flow;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('queues a run, moves it on only from the expected status, and finishes it', async () => {
    const run = await createRun(db, alice.id, { flowId: flow.id, flowVersion: 1, trigger: { kind: 'manual', input: { a: 1 } } });
    expect(run).toMatchObject({ status: 'queued', flowVersion: 1, trigger: { kind: 'manual', input: { a: 1 } }, error: null });
    const id = run?.id ?? '';
    const startedAt = new Date().toISOString();
    const claimed = await updateRun(db, alice.id, id, { status: 'running', startedAt }, { expectedStatus: 'queued' });
    expect(claimed).toMatchObject({ status: 'running', startedAt });
    expect(await updateRun(db, alice.id, id, { status: 'running' }, { expectedStatus: 'queued' })).toBeUndefined();
    const failed = await updateRun(db, alice.id, id, { status: 'failed', error: { message: 'boom' }, finishedAt: startedAt });
    expect(failed).toMatchObject({ status: 'failed', error: { message: 'boom' }, finishedAt: startedAt });
    expect(await findRun(db, alice.id, id)).toEqual(failed);
  });

  it('accepts a caller-chosen run id', async () => {
    const run = await createRun(db, alice.id, { id: 'run-fixed-id', flowId: flow.id, flowVersion: 1 });
    expect(run?.id).toBe('run-fixed-id');
    expect(await deleteRun(db, alice.id, 'run-fixed-id')).toBe(true);
  });

  it('lists runs newest first with keyset paging and filters', async () => {
    const { flow: other } = await createFlow(db, alice.id, { name: 'Paged', document: {} });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createRun(db, alice.id, { flowId: other.id, flowVersion: 1 }))?.id ?? '');
    const newestFirst = [...ids].reverse();
    const page1 = await listRuns(db, alice.id, { flowId: other.id, limit: 3 });
    const page2 = await listRuns(db, alice.id, { flowId: other.id, limit: 3, beforeId: page1.at(-1)?.id });
    const page3 = await listRuns(db, alice.id, { flowId: other.id, limit: 3, beforeId: page2.at(-1)?.id });
    expect([...page1, ...page2, ...page3].map((r) => r.id)).toEqual(newestFirst);
    expect(await listRuns(db, alice.id, { flowId: other.id, status: 'succeeded' })).toEqual([]);
    expect((await listRuns(db, alice.id, { flowId: other.id, status: 'queued' })).length).toBe(7);
  });

  it('records step attempts once each and updates them', async () => {
    const run = await createRun(db, alice.id, { flowId: flow.id, flowVersion: 1 });
    const runId = run?.id ?? '';
    const s1 = await createRunStep(db, alice.id, { runId, stepId: 'create', input: { name: 'Contoso', secret: '**REDACTED**' } });
    expect(s1).toMatchObject({ attempt: 1, status: 'running', input: { name: 'Contoso', secret: '**REDACTED**' }, output: null });
    await expect(createRunStep(db, alice.id, { runId, stepId: 'create' })).rejects.toBeInstanceOf(DuplicateError);
    const s2 = await createRunStep(db, alice.id, { runId, stepId: 'create', attempt: 2 });
    const done = await updateRunStep(db, alice.id, s2?.id ?? '', {
      status: 'succeeded',
      output: { id: 'x' },
      finishedAt: new Date().toISOString(),
    });
    expect(done).toMatchObject({ status: 'succeeded', output: { id: 'x' } });
    expect(await findRunStep(db, alice.id, s2?.id ?? '')).toEqual(done);
    expect((await listRunSteps(db, alice.id, runId)).map((s) => s.attempt)).toEqual([1, 2]);
  });

  it('creates, replaces, lists and deletes trigger cursors', async () => {
    expect(await getTriggerState(db, alice.id, flow.id, 'poll:lead')).toBeUndefined();
    expect(await putTriggerState(db, alice.id, flow.id, 'poll:lead', { modifiedon: '2025-01-01', id: 'a' })).toBe(true);
    expect(await putTriggerState(db, alice.id, flow.id, 'poll:lead', { modifiedon: '2025-01-02', id: 'b' })).toBe(true);
    expect(await putTriggerState(db, alice.id, flow.id, 'poll:contact', null)).toBe(true);
    expect((await getTriggerState(db, alice.id, flow.id, 'poll:lead'))?.cursor).toEqual({ modifiedon: '2025-01-02', id: 'b' });
    expect((await listTriggerStates(db, alice.id, flow.id)).map((s) => s.triggerKey)).toEqual(['poll:contact', 'poll:lead']);
    expect(await deleteTriggerState(db, alice.id, flow.id, 'poll:contact')).toBe(true);
    expect(await deleteTriggerState(db, alice.id, flow.id)).toBe(true);
    expect(await listTriggerStates(db, alice.id, flow.id)).toEqual([]);
  });

  it('enqueues runs and advances the cursor atomically in one transaction', async () => {
    await expect(
      withTransaction(db, async (tx) => {
        await createRun(tx, alice.id, { id: 'tx-run-1', flowId: flow.id, flowVersion: 1 });
        await putTriggerState(tx, alice.id, flow.id, 'poll:tx', { page: 2 });
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(await findRun(db, alice.id, 'tx-run-1')).toBeUndefined();
    expect(await getTriggerState(db, alice.id, flow.id, 'poll:tx')).toBeUndefined();

    await withTransaction(db, async (tx) => {
      await createRun(tx, alice.id, { id: 'tx-run-2', flowId: flow.id, flowVersion: 1 });
      await putTriggerState(tx, alice.id, flow.id, 'poll:tx', { page: 3 });
    });
    expect(await findRun(db, alice.id, 'tx-run-2')).toBeDefined();
    expect((await getTriggerState(db, alice.id, flow.id, 'poll:tx'))?.cursor).toEqual({ page: 3 });
  });
});
