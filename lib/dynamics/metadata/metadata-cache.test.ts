import { describe, expect, it } from 'vitest';
import type { DataverseClient } from '../client/types';
import { contactParts } from '../../../test/fixtures/contact-metadata';
import { MetadataCache, type CachedMetadata, type MetadataPersistence } from './metadata-cache';
import { normalizeTableSchema } from './normalize-table-schema';
import type { TableDirectory } from './types';

// The cache is tested with counting loaders: what it must prove is when it asks again, not how
// discovery talks to Dataverse (that is covered over HTTP in discover.integration.test.ts).
function setup(ttlMs = 1000) {
  let now = 0;
  const calls = { tables: 0, table: 0 };
  const directory: TableDirectory = { tables: [] };
  const cache = new MetadataCache({
    ttlMs,
    now: () => now,
    loaders: {
      tables: async () => {
        calls.tables++;
        return directory;
      },
      table: async () => {
        calls.table++;
        await new Promise((r) => setTimeout(r, 5));
        return normalizeTableSchema(contactParts);
      },
    },
  });
  const client = (accountId: string) => ({ accountId }) as DataverseClient;
  return {
    cache,
    calls,
    client,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('MetadataCache', () => {
  it('serves from memory within the TTL and reloads after it', async () => {
    const { cache, calls, client, advance } = setup();
    await cache.tables(client('a'));
    await cache.tables(client('a'));
    expect(calls.tables).toBe(1);
    advance(1001);
    await cache.tables(client('a'));
    expect(calls.tables).toBe(2);
  });

  it('keeps accounts apart', async () => {
    const { cache, calls, client } = setup();
    await cache.table(client('a'), 'contact');
    await cache.table(client('b'), 'contact');
    expect(calls.table).toBe(2);
  });

  it('shares one load between concurrent callers', async () => {
    const { cache, calls, client } = setup();
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.table(client('a'), 'contact')));
    expect(calls.table).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it('refreshes on demand and after invalidate', async () => {
    const { cache, calls, client } = setup();
    await cache.table(client('a'), 'contact');
    await cache.table(client('a'), 'contact', { refresh: true });
    expect(calls.table).toBe(2);
    await cache.invalidate('a');
    expect(cache.peekTable('a', 'contact')).toBeUndefined();
    await cache.table(client('a'), 'contact');
    expect(calls.table).toBe(3);
  });

  it('refreshTable returns the snapshot it replaces', async () => {
    const { cache, client } = setup();
    expect(await cache.refreshTable(client('a'), 'contact')).not.toHaveProperty('previous');
    const { previous, current } = await cache.refreshTable(client('a'), 'contact');
    expect(previous?.logicalName).toBe('contact');
    expect(current).not.toBe(previous);
  });

  it('refuses names that are not logical names', async () => {
    const { cache, client } = setup();
    await expect(cache.table(client('a'), "contact')/x")).rejects.toThrow(/not a valid table name/);
  });

  it('loads fresh entries from persistence and saves new ones', async () => {
    const store = new Map<string, CachedMetadata<unknown>>();
    const persistence: MetadataPersistence = {
      load: async (a, k) => store.get(`${a}/${k}`),
      save: async (a, k, e) => {
        store.set(`${a}/${k}`, e);
      },
      clear: async (a) => {
        for (const k of [...store.keys()]) if (k.startsWith(`${a}/`)) store.delete(k);
      },
    };
    let loads = 0;
    const make = () =>
      new MetadataCache({
        now: () => 0,
        persistence,
        loaders: {
          tables: async () => {
            loads++;
            return { tables: [] };
          },
          table: async () => normalizeTableSchema(contactParts),
        },
      });
    await make().tables({ accountId: 'a' } as DataverseClient);
    await make().tables({ accountId: 'a' } as DataverseClient); // a "restarted" process
    expect(loads).toBe(1);
    expect(store.has('a/tables')).toBe(true);
  });
});
