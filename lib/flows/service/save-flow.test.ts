/** Saving new versions (optimistic version check), reading old ones, and deleting flows, on a real database of each kind. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@/lib/errors/domain-error';
import { ApiError } from '@/lib/server/api-error';
import { toApiError } from '@/lib/server/domain-to-http';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { createFlow } from './create-flow';
import { deleteFlow } from './delete-flow';
import type { FlowServiceContext } from './flow-context';
import { getFlowVersion, listFlowVersions } from './flow-versions';
import { getFlow } from './get-flow';
import { saveFlow } from './save-flow';
import { startFlow } from './start-flow';
import { testFlow } from './test-flow';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/flows/v2/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const manual = fixture('manual-trigger');
const withLog = fixture('toolbox-log');

async function apiErrorOf(call: Promise<unknown>): Promise<ApiError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  const api = toApiError(err);
  expect(api).toBeInstanceOf(ApiError);
  return api as ApiError;
}

const nodeIds = (document: unknown) => (document as { nodes: { id: string }[] }).nodes.map((n) => n.id);

describe.each(DATABASE_KINDS)('saveFlow, versions and deleteFlow on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let stranger: FlowServiceContext;
  beforeAll(async () => {
    db = await openTestDb(kind);
    owner = { db, ownerId: (await createTestUser(db, 'owner')).id };
    stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id };
  });
  afterAll(() => db.close());

  it('saves each document as a new version on top of the one the editor started from, renaming on the way', async () => {
    const { id } = await createFlow(owner, { name: 'v1', document: manual });
    const saved = await saveFlow(owner, id, { document: withLog, baseVersion: 1, name: 'Renamed', description: 'now logs' });
    expect(saved).toMatchObject({ currentVersion: 2, name: 'Renamed', description: 'now logs', problems: [] });
    expect(nodeIds(saved.document)).toEqual(['tManual00001', 'sLog00000001']);
    // Without name or description they stay as they were.
    const again = await saveFlow(owner, id, { document: manual, baseVersion: 2 });
    expect(again).toMatchObject({ currentVersion: 3, name: 'Renamed', description: 'now logs' });
    expect(nodeIds((await getFlow(owner, id)).document)).toEqual(['tManual00001']);
  });

  it('refuses a save on top of a stale version: 409 version_conflict with the current version, and keeps the newer save', async () => {
    const { id } = await createFlow(owner, { name: 'shared', document: manual });
    await saveFlow(owner, id, { document: withLog, baseVersion: 1 });
    const err = await apiErrorOf(saveFlow(owner, id, { document: manual, baseVersion: 1, name: 'lost update' }));
    expect(err.status).toBe(409);
    expect(err.code).toBe('version_conflict');
    expect(err.details).toEqual({ currentVersion: 2 });
    const flow = await getFlow(owner, id);
    expect(flow).toMatchObject({ currentVersion: 2, name: 'shared' });
    expect(nodeIds(flow.document)).toEqual(['tManual00001', 'sLog00000001']);
    // A base version from the future is just as stale.
    expect((await apiErrorOf(saveFlow(owner, id, { document: manual, baseVersion: 7 }))).status).toBe(409);
  });

  it('of two saves from the same version, exactly one wins', async () => {
    const { id } = await createFlow(owner, { name: 'race', document: manual });
    const results = await Promise.allSettled([
      saveFlow(owner, id, { document: withLog, baseVersion: 1 }),
      saveFlow(owner, id, { document: manual, baseVersion: 1 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((toApiError(rejected!.reason) as ApiError).code).toBe('version_conflict');
    expect((await getFlow(owner, id)).currentVersion).toBe(2);
  });

  it('refuses an unreadable document with 422 document_invalid and saves no version', async () => {
    const { id } = await createFlow(owner, { name: 'x', document: manual });
    const err = await apiErrorOf(saveFlow(owner, id, { document: { schemaVersion: 2, nodes: 3 }, baseVersion: 1 }));
    expect(err.status).toBe(422);
    expect(err.code).toBe('document_invalid');
    expect((err.details as { problems: unknown[] }).problems.length).toBeGreaterThan(0);
    expect((await listFlowVersions(owner, id)).map((v) => v.version)).toEqual([1]);
  });

  it('editing a started flow changes only the draft: the published version stays until it is started again', async () => {
    const { id } = await createFlow(owner, { name: 'live', document: manual });
    await startFlow(owner, id);
    const saved = await saveFlow(owner, id, { document: withLog, baseVersion: 1 });
    expect(saved).toMatchObject({ status: 'active', currentVersion: 2, publishedVersion: 1, hasUnpublishedChanges: true });
  });

  it('lists the versions newest first with which is published and current, and reads each as stored', async () => {
    const { id } = await createFlow(owner, { name: 'history', document: manual });
    await saveFlow(owner, id, { document: withLog, baseVersion: 1 });
    await startFlow(owner, id);
    await saveFlow(owner, id, { document: manual, baseVersion: 2 });
    const versions = await listFlowVersions(owner, id);
    expect(versions.map(({ version, published, current }) => ({ version, published, current }))).toEqual([
      { version: 3, published: false, current: true },
      { version: 2, published: true, current: false },
      { version: 1, published: false, current: false },
    ]);
    expect(versions.every((v) => !Number.isNaN(Date.parse(v.createdAt)))).toBe(true);
    const v2 = await getFlowVersion(owner, id, 2);
    expect(v2).toMatchObject({ version: 2, published: true });
    expect(nodeIds(v2.document)).toEqual(['tManual00001', 'sLog00000001']);
    expect(nodeIds((await getFlowVersion(owner, id, 1)).document)).toEqual(['tManual00001']);
    const missing = await apiErrorOf(getFlowVersion(owner, id, 4));
    expect(missing.status).toBe(404);
    expect(missing.message).toBe('Version 4 of the flow was not found.');
  });

  it('gives another owner not_found for every one of these, and leaves the flow as it was', async () => {
    const { id } = await createFlow(owner, { name: 'mine', document: manual });
    for (const call of [
      () => saveFlow(stranger, id, { document: withLog, baseVersion: 1, name: 'stolen' }),
      () => listFlowVersions(stranger, id),
      () => getFlowVersion(stranger, id, 1),
      () => deleteFlow(stranger, id),
    ]) {
      expect((await apiErrorOf(call())).status).toBe(404);
    }
    expect(await getFlow(owner, id)).toMatchObject({ name: 'mine', currentVersion: 1, status: 'draft' });
  });

  it('deletes a flow with its versions and runs, started or not; a second delete is not_found', async () => {
    const { id } = await createFlow(owner, { name: 'doomed', document: manual });
    await saveFlow(owner, id, { document: withLog, baseVersion: 1 });
    await startFlow(owner, id);
    const { runId } = await testFlow(owner, id, {});
    await deleteFlow(owner, id);
    expect((await apiErrorOf(getFlow(owner, id))).status).toBe(404);
    expect(await db.db.selectFrom('flow_versions').select('id').where('flow_id', '=', id).execute()).toEqual([]);
    expect(await db.db.selectFrom('runs').select('id').where('id', '=', runId).execute()).toEqual([]);
    expect((await apiErrorOf(deleteFlow(owner, id))).status).toBe(404);
  });
});
