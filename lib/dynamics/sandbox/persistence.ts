/**
 * Persistence for the running app: each organization's rows, deletion tombstones, version and
 * refresh grants live in one SQLite file, `${DATA_DIR:-./data}/sandbox/sandbox.sqlite` (its own
 * file, not the app's database), keyed by tenant. Rows are an append-only journal (appends touch
 * only the B-tree's last pages, where updates in place keyed by random GUIDs dirtied pages all over
 * the file); superseded entries are compacted when the organization is next loaded. A write costs
 * in proportion to the change: the store reports which rows changed, and a flush shortly after
 * appends just those rows, in chunks of
 * a few hundred statements per synchronous step with a turn of the event loop between them, so a
 * 100,000-row bulk insert never holds the event loop for more than a few milliseconds (see
 * bench/sandbox-write-bench.mjs). The organization is never re-serialised as a whole.
 *
 * A snapshot written by earlier versions (`org.json`, the whole organization as one JSON document)
 * is imported once into the default tenant and renamed `org.json.imported`.
 */
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RefreshGrant, SerializedGrants } from './identity/grants';
import type { DeletedEntry, OrgStore, SerializedOrg } from './store';
import type { Row } from './tables/types';

/** A journal entry that voids the tenant's earlier entries (a reset). */
const RESET_MARK = '*reset*';

/** Statements per synchronous step of a flush (each is a few microseconds). */
const FLUSH_CHUNK = 200;
/** A flush starts this long after the first unflushed change, so a burst of writes shares one. */
const FLUSH_DELAY_MS = 25;

export interface LoadedOrg {
  org: SerializedOrg;
  grants: SerializedGrants;
}

interface TenantState {
  store: OrgStore;
  /** `table\u0001id` of rows changed since the last flush */
  rows: Set<string>;
  grants: Map<string, RefreshGrant | undefined>;
  /** per table: the highest tombstone version written */
  tombstonesUpTo: Map<string, number>;
  replaced: boolean;
}

export class SandboxDatabase {
  private readonly db: Database.Database;
  private readonly tenants = new Map<string, TenantState>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  readonly file: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'sandbox.sqlite');
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS orgs (tenant TEXT PRIMARY KEY, version INTEGER NOT NULL, pruned TEXT NOT NULL DEFAULT '{}');
      CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY, tenant TEXT NOT NULL, tbl TEXT NOT NULL, id TEXT NOT NULL, data TEXT);
      CREATE INDEX IF NOT EXISTS journal_tenant ON journal (tenant, seq);
      CREATE TABLE IF NOT EXISTS tombstones (tenant TEXT NOT NULL, tbl TEXT NOT NULL, version INTEGER NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (tenant, tbl, version)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS grants (tenant TEXT NOT NULL, hash TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (tenant, hash)) WITHOUT ROWID;
    `);
  }

  private readonly stmt = {
    org: () => this.db.prepare<[string], { version: number; pruned: string }>('SELECT version, pruned FROM orgs WHERE tenant = ?'),
    putOrg: () =>
      this.db.prepare<[string, number, string]>(
        'INSERT INTO orgs (tenant, version, pruned) VALUES (?, ?, ?) ON CONFLICT (tenant) DO UPDATE SET version = excluded.version, pruned = excluded.pruned',
      ),
    journal: () =>
      this.db.prepare<[string], { seq: number; tbl: string; id: string; data: string | null }>(
        'SELECT seq, tbl, id, data FROM journal WHERE tenant = ? ORDER BY seq',
      ),
    append: () =>
      this.db.prepare<[string, string, string, string | null]>('INSERT INTO journal (tenant, tbl, id, data) VALUES (?, ?, ?, ?)'),
    dropEntry: () => this.db.prepare<[number]>('DELETE FROM journal WHERE seq = ?'),
    tombstones: () =>
      this.db.prepare<[string], { tbl: string; version: number; id: string; at: number }>(
        'SELECT tbl, version, id, at FROM tombstones WHERE tenant = ? ORDER BY tbl, version',
      ),
    putTombstone: () =>
      this.db.prepare<[string, string, number, string, number]>(
        'INSERT OR REPLACE INTO tombstones (tenant, tbl, version, id, at) VALUES (?, ?, ?, ?, ?)',
      ),
    pruneTombstones: () =>
      this.db.prepare<[string, string, number]>('DELETE FROM tombstones WHERE tenant = ? AND tbl = ? AND version <= ?'),
    grants: () => this.db.prepare<[string], { hash: string; data: string }>('SELECT hash, data FROM grants WHERE tenant = ?'),
    putGrant: () =>
      this.db.prepare<[string, string, string]>(
        'INSERT INTO grants (tenant, hash, data) VALUES (?, ?, ?) ON CONFLICT (tenant, hash) DO UPDATE SET data = excluded.data',
      ),
    deleteGrant: () => this.db.prepare<[string, string]>('DELETE FROM grants WHERE tenant = ? AND hash = ?'),
  };
  private prepared: { [K in keyof SandboxDatabase['stmt']]?: ReturnType<SandboxDatabase['stmt'][K]> } = {};
  private q<K extends keyof SandboxDatabase['stmt']>(k: K): ReturnType<SandboxDatabase['stmt'][K]> {
    const p = (this.prepared[k] ??= this.stmt[k]() as never);
    return p as ReturnType<SandboxDatabase['stmt'][K]>;
  }

  has(tenant: string): boolean {
    return this.q('org').get(tenant) !== undefined;
  }

  /** The tenant's saved organization, or null when it has none (a legacy org.json counts for `importLegacyFor`). */
  load(tenant: string, importLegacyFor?: string): LoadedOrg | null {
    const meta = this.q('org').get(tenant);
    if (!meta) return tenant === importLegacyFor ? this.legacy() : null;
    const tables: SerializedOrg['tables'] = {};
    const pruned = JSON.parse(meta.pruned) as Record<string, number>;
    const table = (name: string) => (tables[name] ??= { rows: [], deleted: [], prunedUpTo: pruned[name] ?? 0 });
    // The journal in order: the last entry of a row wins, a null entry deletes it, a reset marker voids all before it.
    const latest = new Map<string, { seq: number; tbl: string; data: string | null }>();
    const superseded: number[] = [];
    for (const e of this.q('journal').iterate(tenant)) {
      if (e.tbl === RESET_MARK) {
        for (const v of latest.values()) superseded.push(v.seq);
        latest.clear();
        superseded.push(e.seq);
        continue;
      }
      const key = `${e.tbl}\u0001${e.id}`;
      const before = latest.get(key);
      if (before) superseded.push(before.seq);
      latest.set(key, { seq: e.seq, tbl: e.tbl, data: e.data });
    }
    for (const v of latest.values()) {
      if (v.data === null) superseded.push(v.seq);
      else table(v.tbl).rows.push(JSON.parse(v.data) as Row);
    }
    // Compaction happens here, when the organization is loaded, off the write path.
    if (superseded.length) {
      this.db.transaction(() => {
        for (const seq of superseded) this.q('dropEntry').run(seq);
      })();
    }
    for (const d of this.q('tombstones').iterate(tenant)) table(d.tbl).deleted.push({ id: d.id, version: d.version, at: d.at });
    for (const name of Object.keys(pruned)) table(name);
    const refresh: Record<string, RefreshGrant> = {};
    for (const g of this.q('grants').iterate(tenant)) refresh[g.hash] = JSON.parse(g.data) as RefreshGrant;
    return { org: { format: 1, version: meta.version, tables }, grants: { refresh } };
  }

  private legacy(): LoadedOrg | null {
    const file = join(this.dir, 'org.json');
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as LoadedOrg;
      renameSync(file, `${file}.imported`);
      return parsed?.org?.format === 1 ? parsed : null;
    } catch {
      return null;
    }
  }

  /**
   * Follows one tenant's store: from now on its changes are written. `fresh` (a new, reset or
   * imported organization) writes every row once and drops the tenant's old rows first.
   */
  track(tenant: string, store: OrgStore, fresh: boolean): void {
    const state: TenantState = { store, rows: new Set(), grants: new Map(), tombstonesUpTo: new Map(), replaced: fresh };
    const previous = this.tenants.get(tenant);
    if (previous) for (const [k, v] of previous.grants) state.grants.set(k, v);
    this.tenants.set(tenant, state);
    if (fresh) {
      for (const name of store.tableNames()) {
        for (const id of store.ids(name)) state.rows.add(`${name}\u0001${id}`);
        state.tombstonesUpTo.set(name, 0);
      }
    } else {
      for (const name of store.tableNames()) state.tombstonesUpTo.set(name, store.deletedSince(name, 0).at(-1)?.version ?? 0);
    }
    store.onWrite = (table, id) => {
      state.rows.add(`${table}\u0001${id}`);
      this.schedule();
    };
    this.schedule();
  }

  grantsChanged(tenant: string, changes: Map<string, RefreshGrant | undefined>): void {
    const state = this.tenants.get(tenant);
    if (!state) return;
    for (const [k, v] of changes) state.grants.set(k, v);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushing = this.flushAsync().finally(() => {
        this.flushing = null;
        if (this.pending()) this.schedule();
      });
    }, FLUSH_DELAY_MS);
    this.timer.unref?.();
  }

  private pending(): boolean {
    for (const s of this.tenants.values()) if (s.rows.size || s.grants.size || s.replaced) return true;
    return false;
  }

  /** Whether the tenant has changes not yet written. */
  pendingFor(tenant: string): boolean {
    const s = this.tenants.get(tenant);
    return s !== undefined && (s.rows.size > 0 || s.grants.size > 0 || s.replaced);
  }

  /** Writes the tenant's pending changes (an organization about to be unloaded), in chunks like the scheduled flush. */
  async flushTenant(tenant: string): Promise<void> {
    while (this.step(FLUSH_CHUNK, tenant)) await new Promise<void>((r) => setImmediate(r));
  }

  /** Stops following the tenant's store (an unloaded organization); flush it first (`flushTenant`), or its pending changes are lost. */
  untrack(tenant: string): void {
    const state = this.tenants.get(tenant);
    if (state?.store.onWrite) state.store.onWrite = null;
    this.tenants.delete(tenant);
  }

  /** Writes what changed, in chunks of FLUSH_CHUNK statements with a turn of the event loop between them. */
  private async flushAsync(): Promise<void> {
    for (;;) {
      const more = this.step(FLUSH_CHUNK);
      if (!more) return;
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** One synchronous transaction of at most `budget` statements (of `only` that tenant's, if given); true while work remains. */
  private step(budget: number, only?: string): boolean {
    let left = budget;
    let more = false;
    this.db.transaction(() => {
      for (const [tenant, s] of this.tenants) {
        if (only !== undefined && tenant !== only) continue;
        if (left <= 0) {
          more = true;
          break;
        }
        if (s.replaced) {
          // A reset: a marker voids the tenant's earlier entries (dropped at the next load); its rows are all marked to be written.
          this.q('append').run(tenant, RESET_MARK, '', null);
          this.db.prepare('DELETE FROM tombstones WHERE tenant = ?').run(tenant);
          s.replaced = false;
          left--;
        }
        for (const key of s.rows) {
          if (left-- <= 0) {
            more = true;
            break;
          }
          s.rows.delete(key);
          const sep = key.indexOf('\u0001');
          const table = key.slice(0, sep);
          const id = key.slice(sep + 1);
          const row = s.store.get(table, id);
          this.q('append').run(tenant, table, id, row ? JSON.stringify(row) : null);
        }
        for (const [hash, g] of s.grants) {
          if (left-- <= 0) {
            more = true;
            break;
          }
          s.grants.delete(hash);
          if (g) this.q('putGrant').run(tenant, hash, JSON.stringify(g));
          else this.q('deleteGrant').run(tenant, hash);
        }
        const pruned: Record<string, number> = {};
        for (const name of s.store.tableNames()) {
          const upTo = s.tombstonesUpTo.get(name) ?? 0;
          const fresh: DeletedEntry[] = s.store.deletedSince(name, upTo);
          for (const d of fresh) this.q('putTombstone').run(tenant, name, d.version, d.id, d.at);
          left -= fresh.length;
          if (fresh.length) s.tombstonesUpTo.set(name, fresh.at(-1)?.version ?? upTo);
          const p = s.store.prunedUpTo(name);
          if (p > 0) {
            pruned[name] = p;
            this.q('pruneTombstones').run(tenant, name, p);
          }
        }
        this.q('putOrg').run(tenant, s.store.version, JSON.stringify(pruned));
        if (s.rows.size || s.grants.size) more = true;
      }
    })();
    return more;
  }

  /** Everything pending, now (shutdown, tests). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.step(Number.MAX_SAFE_INTEGER)) {
      // until nothing is left
    }
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}
