// findRecords over real HTTP against the sandbox organization with the real Dataverse client.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAccount, type SandboxAccount } from '../../../../test/support/sandbox-client';
import { MetadataCache } from '../../metadata/metadata-cache';
import { findRecords } from './find-records';

let env: SandboxAccount;
let cache: MetadataCache;
const tag = `Find${randomUUID().slice(0, 8)}`;
const ids: string[] = [];

beforeAll(async () => {
  env = await sandboxAccount();
  cache = new MetadataCache();
  for (const first of ['Ada', 'Grace', 'Linus']) {
    ids.push((await env.client.create('leads', { firstname: first, lastname: tag, subject: 'find-records test' })).id);
  }
});
afterAll(async () => {
  await env?.close();
});

describe('findRecords', () => {
  it('lists the newest records first, whole (as the event trigger reads them), with id, name and modifiedon', async () => {
    const found = await findRecords(env.client, cache, { table: 'lead', top: 3 });
    expect(found).toHaveLength(3);
    const stamps = found.map((r) => r.modifiedOn ?? '');
    expect([...stamps].sort().reverse()).toEqual(stamps);
    expect(found[0]!.record).toHaveProperty('leadid', found[0]!.id);
    expect(Object.keys(found[0]!.record).length).toBeGreaterThan(5); // every column, not a $select
  });

  it('finds by a piece of the primary name, and by id', async () => {
    const byName = await findRecords(env.client, cache, { table: 'lead', search: tag });
    expect(byName.map((r) => r.name).sort()).toEqual([`Ada ${tag}`, `Grace ${tag}`, `Linus ${tag}`]);
    const byId = await findRecords(env.client, cache, { table: 'lead', search: ids[1]! });
    expect(byId.map((r) => r.id)).toEqual([ids[1]]);
    expect(await findRecords(env.client, cache, { table: 'lead', search: `${tag}-nobody` })).toEqual([]);
  });

  it('keeps a search with quotes as data, and caps the list at 25', async () => {
    expect(await findRecords(env.client, cache, { table: 'lead', search: "O'Brien') or (1 eq 1" })).toEqual([]);
    expect((await findRecords(env.client, cache, { table: 'lead', top: 500 })).length).toBeLessThanOrEqual(25);
  });
});
