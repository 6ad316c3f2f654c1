/** Starting (publishing), stopping and the API trigger's invoke key, on a real database of each kind. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTriggerState, putTriggerState } from '@/lib/db/repositories/trigger-state';
import { DomainError } from '@/lib/errors/domain-error';
import { ApiError } from '@/lib/server/api-error';
import { toApiError } from '@/lib/server/domain-to-http';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { createFlow } from './create-flow';
import type { FlowServiceContext } from './flow-context';
import { getFlow } from './get-flow';
import { invokeKeyMatches } from './invoke-key';
import { rotateInvokeKey } from './rotate-invoke-key';
import { saveFlow } from './save-flow';
import { startFlow } from './start-flow';
import { stopFlow } from './stop-flow';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/flows/v2/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const manual = fixture('manual-trigger');
const withLog = fixture('toolbox-log');
const api = fixture('api-request-response');
/** Parses, so it saves as a draft, but has a problem (no trigger), so it cannot start. */
const noTrigger = { schemaVersion: 2, name: 'half-built', nodes: [], edges: [] };

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

describe.each(DATABASE_KINDS)('startFlow, stopFlow and invoke keys on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let stranger: FlowServiceContext;
  beforeAll(async () => {
    db = await openTestDb(kind);
    owner = { db, ownerId: (await createTestUser(db, 'owner')).id };
    stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id };
  });
  afterAll(() => db.close());

  const storedKeyHash = async (flowId: string) =>
    (await db.db.selectFrom('flows').select('invoke_key_hash').where('id', '=', flowId).executeTakeFirstOrThrow()).invoke_key_hash;

  it('publishes the current version and starts the flow; a later start publishes the newer draft', async () => {
    const { id } = await createFlow(owner, { name: 'go', document: manual });
    const before = Date.now();
    const started = await startFlow(owner, id);
    expect(started).not.toHaveProperty('invokeKey');
    expect(started).not.toHaveProperty('invokeUrl');
    expect(started.flow).toMatchObject({ status: 'active', currentVersion: 1, publishedVersion: 1, hasUnpublishedChanges: false });
    expect(Date.parse(started.flow.startedAt!)).toBeGreaterThanOrEqual(before - 1);
    await saveFlow(owner, id, { document: withLog, baseVersion: 1 });
    expect((await getFlow(owner, id)).publishedVersion).toBe(1);
    const again = await startFlow(owner, id);
    expect(again.flow).toMatchObject({ status: 'active', currentVersion: 2, publishedVersion: 2, hasUnpublishedChanges: false });
  });

  it('forgets the trigger cursors, so only events after this start count', async () => {
    const { id } = await createFlow(owner, { name: 'cursor', document: manual });
    expect(await putTriggerState(db, owner.ownerId, id, 'poll', { since: '2020-01-01T00:00:00.000Z' })).toBe(true);
    await startFlow(owner, id);
    expect(await getTriggerState(db, owner.ownerId, id, 'poll')).toBeUndefined();
  });

  it('refuses a draft with problems: 422 flow_invalid with the problems, and publishes nothing', async () => {
    const { id } = await createFlow(owner, { name: 'broken', document: noTrigger });
    const err = await apiErrorOf(startFlow(owner, id));
    expect(err.status).toBe(422);
    expect(err.code).toBe('flow_invalid');
    expect(err.message).toBe('The flow cannot be started: version 1 has a problem.');
    expect((err.details as { problems: { code: string }[] }).problems.map((p) => p.code)).toEqual(['no_trigger']);
    expect(await getFlow(owner, id)).toMatchObject({ status: 'draft', publishedVersion: null, startedAt: null });
  });

  it('a started flow whose new draft is broken keeps running the published version', async () => {
    const { id } = await createFlow(owner, { name: 'keeps going', document: manual });
    await startFlow(owner, id);
    await saveFlow(owner, id, { document: noTrigger, baseVersion: 1 });
    expect((await apiErrorOf(startFlow(owner, id))).code).toBe('flow_invalid');
    expect(await getFlow(owner, id)).toMatchObject({ status: 'active', publishedVersion: 1, currentVersion: 2 });
  });

  it('shows an API-triggered flow its invoke key once, on the first start; only the hash and prefix are kept', async () => {
    const { id } = await createFlow(owner, { name: 'api', document: api });
    const first = await startFlow(owner, id);
    expect(first.invokeUrl).toBe(`/api/flows/${id}/invoke`);
    const key = first.invokeKey!;
    expect(key).toMatch(/^dfk_[A-Za-z0-9_-]{43}$/);
    expect(first.flow.invokeKeyPrefix).toBe(key.slice(0, 10));
    expect(JSON.stringify(first.flow)).not.toContain(key);
    const hash = await storedKeyHash(id);
    expect(hash).not.toContain(key);
    expect(invokeKeyMatches(key, hash)).toBe(true);
    // Starting again (or reading the flow) never shows it again, and keeps the same key working.
    const second = await startFlow(owner, id);
    expect(second).not.toHaveProperty('invokeKey');
    expect(second.invokeUrl).toBe(`/api/flows/${id}/invoke`);
    expect(JSON.stringify(await getFlow(owner, id))).not.toContain(key);
    expect(invokeKeyMatches(key, await storedKeyHash(id))).toBe(true);
  });

  it('two first starts at once: exactly one shows a key, and that key is the one that works', async () => {
    const { id } = await createFlow(owner, { name: 'api race', document: api });
    const results = await Promise.allSettled([startFlow(owner, id), startFlow(owner, id)]);
    const keys = results.flatMap((r) => (r.status === 'fulfilled' && r.value.invokeKey ? [r.value.invokeKey] : []));
    expect(keys).toHaveLength(1);
    expect(invokeKeyMatches(keys[0]!, await storedKeyHash(id))).toBe(true);
  });

  it('rotating the key returns a new one once and the old one stops matching; refused for a flow without an API trigger', async () => {
    const { id } = await createFlow(owner, { name: 'rotate', document: api });
    const { invokeKey: oldKey } = await startFlow(owner, id);
    const rotated = await rotateInvokeKey(owner, id);
    expect(rotated.invokeKey).not.toBe(oldKey);
    expect(rotated.invokeUrl).toBe(`/api/flows/${id}/invoke`);
    expect((await getFlow(owner, id)).invokeKeyPrefix).toBe(rotated.invokeKeyPrefix);
    const hash = await storedKeyHash(id);
    expect(invokeKeyMatches(rotated.invokeKey, hash)).toBe(true);
    expect(invokeKeyMatches(oldKey!, hash)).toBe(false);

    const { id: manualId } = await createFlow(owner, { name: 'manual', document: manual });
    const err = await apiErrorOf(rotateInvokeKey(owner, manualId));
    expect(err.status).toBe(400);
    expect(err.code).toBe('not_api_triggered');
    expect(await storedKeyHash(manualId)).toBeNull();
  });

  it('stops a started flow: the published version is kept, so starting again resumes it', async () => {
    const { id } = await createFlow(owner, { name: 'stop', document: manual });
    await startFlow(owner, id);
    const stopped = await stopFlow(owner, id);
    expect(stopped).toMatchObject({ status: 'stopped', publishedVersion: 1 });
    expect((await getFlow(owner, id)).status).toBe('stopped');
    expect((await startFlow(owner, id)).flow.status).toBe('active');
  });

  it('gives another owner not_found for start, stop and rotate, and changes nothing', async () => {
    const { id } = await createFlow(owner, { name: 'mine', document: api });
    for (const call of [() => startFlow(stranger, id), () => stopFlow(stranger, id), () => rotateInvokeKey(stranger, id)]) {
      expect((await apiErrorOf(call())).status).toBe(404);
    }
    expect(await getFlow(owner, id)).toMatchObject({ status: 'draft', publishedVersion: null });
    expect(await storedKeyHash(id)).toBeNull();
  });
});
