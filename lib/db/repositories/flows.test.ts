import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../errors';
import { DATABASE_KINDS, createTestUser, openTestDb, type TestDb } from '../../../test/support/db';
import { findFlowVersion, listFlowVersions, saveFlowVersion } from './flow-versions';
import { createFlow, deleteFlow, findFlow, listFlows, updateFlow } from './flows';
import { createRun, findRun } from './runs';
import { createRunStep, listRunSteps } from './run-steps';
import { getTriggerState, putTriggerState } from './trigger-state';
import type { User } from './users';

const doc = (label: string) => ({ schemaVersion: 1, nodes: [{ id: 'n1', type: 'manual', label }], edges: [] });

describe.each(DATABASE_KINDS)('flows and flow versions on %s', (kind) => {
  let db: TestDb;
  let alice: User;
  beforeAll(async () => {
    db = await openTestDb(kind);
    alice = await createTestUser(db, 'alice');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('creates a draft flow with version 1 holding the document', async () => {
    const { flow, version } = await createFlow(db, alice.id, { name: ' Sync leads ', description: 'd', document: doc('v1') });
    expect(flow).toMatchObject({ name: 'Sync leads', description: 'd', status: 'draft', currentVersion: 1, ownerId: alice.id });
    expect(version).toMatchObject({ flowId: flow.id, version: 1, document: doc('v1') });
    expect(await findFlow(db, alice.id, flow.id)).toEqual(flow);
    expect(await findFlowVersion(db, alice.id, flow.id)).toEqual(version);
  });

  it('saves new versions, keeps old ones and detects concurrent edits', async () => {
    const { flow } = await createFlow(db, alice.id, { name: 'Versioned', document: doc('v1') });
    const v2 = await saveFlowVersion(db, alice.id, flow.id, doc('v2'), { expectedVersion: 1 });
    expect(v2).toMatchObject({ version: 2, document: doc('v2') });
    await expect(saveFlowVersion(db, alice.id, flow.id, doc('stale'), { expectedVersion: 1 })).rejects.toBeInstanceOf(ConflictError);
    const v3 = await saveFlowVersion(db, alice.id, flow.id, doc('v3'));
    expect(v3?.version).toBe(3);
    expect((await findFlow(db, alice.id, flow.id))?.currentVersion).toBe(3);
    expect((await findFlowVersion(db, alice.id, flow.id))?.document).toEqual(doc('v3'));
    expect((await findFlowVersion(db, alice.id, flow.id, 1))?.document).toEqual(doc('v1'));
    expect(await findFlowVersion(db, alice.id, flow.id, 9)).toBeUndefined();
    expect((await listFlowVersions(db, alice.id, flow.id)).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it('lets exactly one of two concurrent saves from the same version win', async () => {
    const { flow } = await createFlow(db, alice.id, { name: 'Raced', document: doc('v1') });
    const results = await Promise.allSettled([
      saveFlowVersion(db, alice.id, flow.id, doc('a'), { expectedVersion: 1 }),
      saveFlowVersion(db, alice.id, flow.id, doc('b'), { expectedVersion: 1 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(1);
    expect((await listFlowVersions(db, alice.id, flow.id)).map((v) => v.version)).toEqual([2, 1]);
  });

  it('updates status and lists by status, most recently changed first', async () => {
    const { flow } = await createFlow(db, alice.id, { name: 'To start', document: doc('x') });
    const started = await updateFlow(db, alice.id, flow.id, { status: 'active', name: 'Started' });
    expect(started).toMatchObject({ status: 'active', name: 'Started' });
    const active = await listFlows(db, alice.id, { status: 'active' });
    expect(active.map((f) => f.id)).toEqual([flow.id]);
    const all = await listFlows(db, alice.id);
    expect(all[0]?.id).toBe(flow.id);
    expect(all.map((f) => f.updatedAt)).toEqual([...all.map((f) => f.updatedAt)].sort().reverse());
  });

  it('deletes a flow with its versions, runs, steps and trigger state', async () => {
    const { flow } = await createFlow(db, alice.id, { name: 'Doomed', document: doc('x') });
    const run = await createRun(db, alice.id, { flowId: flow.id, flowVersion: 1 });
    expect(run).toBeDefined();
    await createRunStep(db, alice.id, { runId: run?.id ?? '', stepId: 'n1' });
    expect(await putTriggerState(db, alice.id, flow.id, 'poll', { at: 1 })).toBe(true);
    expect(await deleteFlow(db, alice.id, flow.id)).toBe(true);
    expect(await findFlow(db, alice.id, flow.id)).toBeUndefined();
    expect(await listFlowVersions(db, alice.id, flow.id)).toEqual([]);
    expect(await findRun(db, alice.id, run?.id ?? '')).toBeUndefined();
    expect(await listRunSteps(db, alice.id, run?.id ?? '')).toEqual([]);
    expect(await getTriggerState(db, alice.id, flow.id, 'poll')).toBeUndefined();
    expect(await deleteFlow(db, alice.id, flow.id)).toBe(false);
  });
});
