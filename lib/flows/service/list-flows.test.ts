/** listFlows: keyset paging in each sort order and the `q` name search, on a real database of each kind. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { createFlow } from './create-flow';
import type { FlowServiceContext } from './flow-context';
import type { ListFlowsQuery } from './flow-requests';
import { listFlows } from './list-flows';

const document = { schemaVersion: 2, name: '', nodes: [], edges: [] };

describe.each(DATABASE_KINDS)('listFlows on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let stranger: FlowServiceContext;
  /** name → id, created in this order, with creation and modification times set apart. */
  const ids = new Map<string, string>();
  // created_at ascending in this order; updated_at in the reverse order.
  const names = ['beta', 'alpha', 'Gamma ray', 'delta 50%', 'delta_x', 'alpha'];

  beforeAll(async () => {
    db = await openTestDb(kind);
    owner = { db, ownerId: (await createTestUser(db, 'owner')).id };
    stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id };
    for (const [i, name] of names.entries()) {
      const flow = await createFlow(owner, { name, document });
      ids.set(i === 5 ? 'alpha#2' : name, flow.id);
      await db.db
        .updateTable('flows')
        .set({
          created_at: `2026-01-0${i + 1}T00:00:00.000Z`,
          updated_at: `2026-02-0${names.length - i}T00:00:00.000Z`,
        })
        .where('id', '=', flow.id)
        .execute();
    }
    await createFlow(stranger, { name: 'alpha of someone else', document });
  });
  afterAll(() => db.close());

  /** Every page, following nextCursor; the names seen and the page sizes. */
  async function allPages(query: ListFlowsQuery) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const page = await listFlows(owner, { ...query, cursor });
      pages.push(page.flows.map((f) => f.name));
      if (page.nextCursor === null) return pages;
      expect(page.nextCursor).toBe(page.flows[page.flows.length - 1]!.id);
      cursor = page.nextCursor;
    }
    throw new Error('paging did not end');
  }

  it('pages through the most recently modified first by default, every flow once', async () => {
    const pages = await allPages({ limit: 4 });
    expect(pages[0]).toEqual(['beta', 'alpha', 'Gamma ray', 'delta 50%']);
    expect(pages.flat()).toEqual(['beta', 'alpha', 'Gamma ray', 'delta 50%', 'delta_x', 'alpha']);
    // A full last page says it is the last: no cursor to an empty page.
    expect(await allPages({ limit: 3 })).toEqual([
      ['beta', 'alpha', 'Gamma ray'],
      ['delta 50%', 'delta_x', 'alpha'],
    ]);
    expect((await listFlows(owner, { limit: 6 })).nextCursor).toBeNull();
    const whole = await listFlows(owner, {});
    expect(whole.nextCursor).toBeNull();
    expect(whole.flows.map((f) => f.id)).toEqual([...ids.values()]);
  });

  it('sorts by creation, newest first, and by name A–Z with equal names kept apart by id', async () => {
    expect((await allPages({ sort: 'created', limit: 2 })).flat()).toEqual(['alpha', 'delta_x', 'delta 50%', 'Gamma ray', 'alpha', 'beta']);
    const byName = await allPages({ sort: 'name', limit: 1 });
    // Whatever the case: 'Gamma ray' after 'delta…', not before every lower-case name.
    expect(byName.flat()).toEqual(['alpha', 'alpha', 'beta', 'delta 50%', 'delta_x', 'Gamma ray']);
    const alphas = (await listFlows(owner, { sort: 'name', limit: 2 })).flows.map((f) => f.id);
    expect(alphas).toEqual([ids.get('alpha'), ids.get('alpha#2')].sort());
  });

  it('shows a summary without the document or the invoke key', async () => {
    const { flows } = await listFlows(owner, { limit: 1 });
    expect(Object.keys(flows[0]!).sort()).toEqual(
      [
        'createdAt',
        'currentVersion',
        'description',
        'hasUnpublishedChanges',
        'id',
        'name',
        'publishedVersion',
        'startedAt',
        'status',
        'updatedAt',
      ].sort(),
    );
  });

  it('q finds names by case-insensitive substring, trimmed; its % and _ are plain characters', async () => {
    const search = async (q: string) => (await listFlows(owner, { q })).flows.map((f) => f.name).sort();
    expect(await search('ALP')).toEqual(['alpha', 'alpha']);
    expect(await search('  gamma ')).toEqual(['Gamma ray']);
    expect(await search('50%')).toEqual(['delta 50%']);
    expect(await search('%')).toEqual(['delta 50%']);
    expect(await search('_')).toEqual(['delta_x']);
    expect(await search('a_')).toEqual(['delta_x']);
    expect(await search('   ')).toHaveLength(6);
    expect(await search('nothing like it')).toEqual([]);
    // Searching and paging together.
    const pages = await allPages({ q: 'a', limit: 2, sort: 'name' });
    expect(pages.flat()).toHaveLength(6);
  });

  it("lists only the caller's flows; another owner's flow as a cursor gives nothing", async () => {
    const theirs = await listFlows(stranger, {});
    expect(theirs.flows.map((f) => f.name)).toEqual(['alpha of someone else']);
    expect((await listFlows(stranger, { cursor: ids.get('beta') })).flows).toEqual([]);
  });
});
