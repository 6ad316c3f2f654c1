/** Creating and reading flows through the service, on a real database of each kind. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@/lib/errors/domain-error';
import { ApiError } from '@/lib/server/api-error';
import { toApiError } from '@/lib/server/domain-to-http';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { createFlow } from './create-flow';
import type { FlowServiceContext } from './flow-context';
import { getFlow } from './get-flow';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/flows/v2/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** The API error a rejected call turns into (status, code, details), as the route would answer it. */
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

describe.each(DATABASE_KINDS)('createFlow and getFlow on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let stranger: FlowServiceContext;
  beforeAll(async () => {
    db = await openTestDb(kind);
    owner = { db, ownerId: (await createTestUser(db, 'owner')).id };
    stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id };
  });
  afterAll(() => db.close());

  it('creates a draft at version 1 with the document, its trigger and no problems, and reads it back', async () => {
    const created = await createFlow(owner, { name: '  Greeter ', document: fixture('toolbox-log') });
    expect(created).toMatchObject({
      name: 'Greeter',
      description: '',
      status: 'draft',
      currentVersion: 1,
      publishedVersion: null,
      hasUnpublishedChanges: true,
      startedAt: null,
      trigger: { type: 'manual.trigger' },
      accounts: [],
      problems: [],
    });
    expect(created).not.toHaveProperty('invokeKeyPrefix');
    expect((created.document as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toEqual(['tManual00001', 'sLog00000001']);
    expect(await getFlow(owner, created.id)).toEqual(created);
  });

  it("takes the name and description from the document when none is given, 'Untitled flow' for a blank name", async () => {
    const named = await createFlow(owner, { document: fixture('manual-trigger') });
    expect(named).toMatchObject({ name: 'Manual only', description: 'Nothing but a manual start.' });
    const blank = await createFlow(owner, { document: { ...fixture('manual-trigger'), name: '   ' } });
    expect(blank.name).toBe('Untitled flow');
  });

  it('migrates a v1 document on the way in', async () => {
    const v1 = JSON.parse(readFileSync(new URL('../../../test/fixtures/flows/v1/scheduler-log.json', import.meta.url), 'utf8')) as object;
    const created = await createFlow(owner, { name: 'old', document: v1 });
    expect((created.document as { schemaVersion: number }).schemaVersion).toBe(2);
    expect(created.trigger).toEqual({ type: 'scheduler.schedule' });
    expect(created.problems).toEqual([]);
  });

  it('keeps a half-built draft that parses, with its problems listed', async () => {
    const created = await createFlow(owner, { name: 'no trigger', document: { schemaVersion: 2, name: 'x', nodes: [], edges: [] } });
    expect(created.trigger).toBeNull();
    expect(created.problems.map((p) => p.code)).toEqual(['no_trigger']);
  });

  it('refuses a document that cannot be read: 422 document_invalid with its problems, and saves nothing', async () => {
    const before = await db.db.selectFrom('flows').select('id').where('owner_id', '=', owner.ownerId).execute();
    for (const document of [{ schemaVersion: 2, name: 'x', nodes: 'x', edges: [] }, {}, null, 'flow']) {
      const err = await apiErrorOf(createFlow(owner, { name: 'bad', document }));
      expect(err.status).toBe(422);
      expect(err.code).toBe('document_invalid');
      const { problems } = err.details as { problems: { code: string; message: string }[] };
      expect(problems.length, JSON.stringify(document)).toBeGreaterThan(0);
      expect(problems.every((p) => typeof p.code === 'string' && typeof p.message === 'string')).toBe(true);
    }
    const after = await db.db.selectFrom('flows').select('id').where('owner_id', '=', owner.ownerId).execute();
    expect(after).toHaveLength(before.length);
  });

  it("answers not_found (404) for another owner's flow and for an id that does not exist", async () => {
    const created = await createFlow(owner, { name: 'private', document: fixture('manual-trigger') });
    expect((await apiErrorOf(getFlow(stranger, created.id))).status).toBe(404);
    expect((await apiErrorOf(getFlow(owner, '01JZ8Q3V6X0C5T9M2B7R4K1HFD'))).status).toBe(404);
  });
});
