/**
 * Per-account metadata cache: the table list and each table's schema, kept for a TTL (metadata
 * changes rarely and discovery costs several requests), refreshed on demand ("Refresh metadata"
 * in the catalog), with concurrent loads of the same entry shared (one discovery at a time per
 * entry) and an optional persistence hook so a restart need not rediscover everything.
 */
import { processSingleton } from '../../process-singleton';
import type { DataverseClient } from '../client/types';
import { discoverTable, discoverTables } from './discover';
import { assertLogicalName } from './names';
import type { TableDirectory, TableSchema } from './types';

export interface CachedMetadata<T> {
  value: T;
  /** Epoch ms when it was fetched from Dataverse. */
  fetchedAt: number;
}

/** Optional storage behind the in-memory cache (e.g. a table in lib/db). Keys: `tables` or `table:<logical name>`. */
export interface MetadataPersistence {
  load(accountId: string, key: string): Promise<CachedMetadata<unknown> | undefined>;
  save(accountId: string, key: string, entry: CachedMetadata<unknown>): Promise<void>;
  clear(accountId: string): Promise<void>;
}

export interface MetadataCacheOptions {
  /** Default 15 minutes. */
  ttlMs?: number;
  now?: () => number;
  persistence?: MetadataPersistence;
  /** Injected for tests of the cache itself; defaults to real discovery. */
  loaders?: {
    tables: (client: DataverseClient, signal?: AbortSignal) => Promise<TableDirectory>;
    table: (client: DataverseClient, logicalName: string, signal?: AbortSignal) => Promise<TableSchema>;
  };
}

export interface LoadOptions {
  /** Ignore what is cached and ask Dataverse again. */
  refresh?: boolean;
  signal?: AbortSignal;
}

export const DEFAULT_METADATA_TTL_MS = 15 * 60_000;

/**
 * @example
 * const cache = new MetadataCache({ ttlMs: 10 * 60_000 });
 * const { tables } = await cache.tables(client);
 * const contact = await cache.table(client, 'contact');
 * await cache.invalidate(client.accountId); // "Refresh metadata"
 */
export class MetadataCache {
  private readonly entries = new Map<string, Map<string, CachedMetadata<unknown>>>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly loaders: NonNullable<MetadataCacheOptions['loaders']>;

  constructor(private readonly options: MetadataCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_METADATA_TTL_MS;
    this.now = options.now ?? Date.now;
    this.loaders = options.loaders ?? { tables: discoverTables, table: discoverTable };
  }

  tables(client: DataverseClient, opts: LoadOptions = {}): Promise<TableDirectory> {
    return this.get(client.accountId, 'tables', opts, () => this.loaders.tables(client, opts.signal));
  }

  async table(client: DataverseClient, logicalName: string, opts: LoadOptions = {}): Promise<TableSchema> {
    const name = assertLogicalName(logicalName);
    return this.get(client.accountId, `table:${name}`, opts, () => this.loaders.table(client, name, opts.signal));
  }

  /**
   * Asks Dataverse again for one table and returns the snapshot it replaces, for drift detection.
   * @example const { previous, current } = await cache.refreshTable(client, 'contact'); if (previous) detectDrift(previous, current, { mappedColumns })
   */
  async refreshTable(
    client: DataverseClient,
    logicalName: string,
    opts: Omit<LoadOptions, 'refresh'> = {},
  ): Promise<{ previous?: TableSchema; current: TableSchema }> {
    const previous = this.peekTable(client.accountId, assertLogicalName(logicalName))?.value;
    const current = await this.table(client, logicalName, { ...opts, refresh: true });
    return previous ? { previous, current } : { current };
  }

  /** What is cached for a table right now (no I/O), e.g. the previous snapshot for drift detection. */
  peekTable(accountId: string, logicalName: string): CachedMetadata<TableSchema> | undefined {
    return this.entries.get(accountId)?.get(`table:${logicalName}`) as CachedMetadata<TableSchema> | undefined;
  }

  /** Forget everything cached for the account (memory and persistence). */
  async invalidate(accountId: string): Promise<void> {
    this.entries.delete(accountId);
    await this.options.persistence?.clear(accountId);
  }

  private async get<T>(accountId: string, key: string, opts: LoadOptions, load: () => Promise<T>): Promise<T> {
    if (!opts.refresh) {
      const fresh = await this.fresh<T>(accountId, key);
      if (fresh) return fresh.value;
    }
    const flightKey = `${accountId}\u0000${key}`;
    const running = this.inflight.get(flightKey) as Promise<T> | undefined;
    if (running) return running;
    const promise = (async () => {
      const value = await load();
      const entry = { value, fetchedAt: this.now() };
      this.account(accountId).set(key, entry);
      await this.options.persistence?.save(accountId, key, entry);
      return value;
    })().finally(() => this.inflight.delete(flightKey));
    this.inflight.set(flightKey, promise);
    return promise;
  }

  private async fresh<T>(accountId: string, key: string): Promise<CachedMetadata<T> | undefined> {
    const isFresh = (e: CachedMetadata<unknown> | undefined) => e !== undefined && this.now() - e.fetchedAt < this.ttlMs;
    const memory = this.account(accountId).get(key);
    if (isFresh(memory)) return memory as CachedMetadata<T>;
    const stored = await this.options.persistence?.load(accountId, key);
    if (stored && isFresh(stored)) {
      this.account(accountId).set(key, stored);
      return stored as CachedMetadata<T>;
    }
    return undefined;
  }

  private account(accountId: string): Map<string, CachedMetadata<unknown>> {
    let m = this.entries.get(accountId);
    if (!m) this.entries.set(accountId, (m = new Map()));
    return m;
  }
}

/** The process-wide cache used by the API routes and the runtime. */
export const metadataCache = processSingleton('metadata-cache', () => new MetadataCache());
