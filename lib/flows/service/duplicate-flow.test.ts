/** duplicateFlow: a new draft from the current draft, owner-scoped, on a real database of each kind. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@/lib/errors/domain-error';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { createFlow } from './create-flow';
import { copyName, duplicateFlow } from './duplicate-flow';
import type { FlowServiceContext } from './flow-context';
import { getFlow } from './get-flow';
import { listFlows } from './list-flows';
import { saveFlow } from './save-flow';
import { startFlow } from './start-flow';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/flows/v2/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('copyName', () => {
  it('adds " (copy)" and keeps a long name within 200 characters', () => {
    expect(copyName(' Leads ')).toBe('Leads (copy)');
    const long = copyName('x'.repeat(200));
    expect(long).toHaveLength(200);
    expect(long.endsWith('… (copy)')).toBe(true);
  });
});

describe.each(DATABASE_KINDS)('duplicateFlow on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let stranger: FlowServiceContext;
  beforeAll(async () => {
    db = await openTestDb(kind);
    owner = { db, ownerId: (await createTestUser(db, 'owner')).id };
    stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id };
  });
  afterAll(() => db.close());

  it('copies the current draft of a started flow as a new draft named "<name> (copy)"', async () => {
    const original = await createFlow(owner, { name: 'Greeter', description: 'Says hello', document: fixture('toolbox-log') });
    await startFlow(owner, original.id);
    // The draft moves on after the start: the copy takes the draft, not the published version.
    const draft = fixture('toolbox-log');
    (draft.nodes as { name: string }[])[1]!.name = 'Log the draft';
    await saveFlow(owner, original.id, { document: draft, baseVersion: 1 });

    const { flowId } = await duplicateFlow(owner, original.id);
    expect(flowId).not.toBe(original.id);
    const copy = await getFlow(owner, flowId);
    expect(copy).toMatchObject({
      name: 'Greeter (copy)',
      description: 'Says hello',
      status: 'draft',
      currentVersion: 1,
      publishedVersion: null,
      startedAt: null,
      problems: [],
    });
    expect(copy.invokeKeyPrefix).toBeUndefined();
    expect((copy.document as { nodes: { name: string }[] }).nodes[1]!.name).toBe('Log the draft');
    // The original is untouched.
    expect(await getFlow(owner, original.id)).toMatchObject({ name: 'Greeter', status: 'active', currentVersion: 2 });
    const names = (await listFlows(owner, { sort: 'name' })).flows.map((f) => f.name);
    expect(names).toEqual(['Greeter', 'Greeter (copy)']);
  });

  it("refuses another owner's flow as not found and creates nothing", async () => {
    const theirs = await createFlow(owner, { name: 'Private', document: fixture('toolbox-log') });
    const err = await duplicateFlow(stranger, theirs.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('not_found');
    expect((await listFlows(stranger, {})).flows).toEqual([]);
  });
});
