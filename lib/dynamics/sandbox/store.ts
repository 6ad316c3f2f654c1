/**
 * The organization's data: one in-memory table store per table with rows by id, alternate-key
 * indexes, a deletion log (for the `$deletedEntity` entries of change-tracking delta responses) and an
 * undo log so a `$batch` change set can be rolled back atomically, as Dataverse does.
 *
 * Rows are treated as immutable values: every write replaces the row object, which makes undo,
 * snapshots and concurrent reads trivial.
 */
import { getSchema, type Schema, type TableInfo } from './model/schema';
import type { LookupValue, Row } from './tables/types';
import { MAX_TOMBSTONES_PER_TABLE } from './util/limits';

export interface DeletedEntry {
  id: string;
  version: number;
  at: number;
}

interface TableData {
  info: TableInfo;
  rows: Map<string, Row>;
  /** key logical name → (normalized key value → id) */
  keys: Map<string, Map<string, string>>;
  deleted: DeletedEntry[];
  /** versions up to this one may have lost their tombstone (pruned): older delta tokens need a full sync */
  prunedUpTo: number;
  sortedIds: string[] | null;
}

type Undo = { kind: 'put'; table: string; id: string; previous: Row | undefined } | { kind: 'deleted'; table: string; length: number };

export interface SerializedOrg {
  format: 1;
  version: number;
  tables: Record<string, { rows: Row[]; deleted: DeletedEntry[]; prunedUpTo?: number }>;
}

export function isLookupValue(v: unknown): v is LookupValue {
  return typeof v === 'object' && v !== null && typeof (v as LookupValue).id === 'string' && typeof (v as LookupValue).table === 'string';
}

function keyPart(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (isLookupValue(v)) return v.id;
  // SQL Server's default collation makes unique indexes on strings case-insensitive.
  return typeof v === 'string' ? v.toLowerCase() : String(v);
}

/** Keeps the cached id order current on a single insert or delete (a binary search and a memmove, not a re-sort of the table). */
function lowerBound(ids: string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] ?? '') < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(ids: string[], id: string): void {
  ids.splice(lowerBound(ids, id), 0, id);
}

function removeSorted(ids: string[], id: string): void {
  const i = lowerBound(ids, id);
  if (ids[i] === id) ids.splice(i, 1);
}

export class OrgStore {
  private readonly data = new Map<string, TableData>();
  version: number;
  private undo: Undo[] | null = null;
  /** Called with each row a write touches (also undone ones), so persistence writes just those rows. */
  onWrite: ((table: string, id: string) => void) | null = null;
  /** Tombstones older than this (ms) are dropped, as Dataverse's change-tracking retention. */
  tombstoneRetentionMs: () => number = () => 7 * 86_400_000;
  maxTombstones = MAX_TOMBSTONES_PER_TABLE;

  /** The organization's tables: each organization profile has its own schema. */
  readonly schema: Schema;

  constructor(serialized?: SerializedOrg, schema: Schema = getSchema()) {
    this.schema = schema;
    this.version = serialized?.version ?? 1_000_000;
    for (const info of schema.tables.values()) {
      const t: TableData = { info, rows: new Map(), keys: new Map(), deleted: [], prunedUpTo: 0, sortedIds: null };
      for (const k of info.def.alternateKeys) t.keys.set(k.logicalName, new Map());
      this.data.set(info.name, t);
      const saved = serialized?.tables[info.name];
      if (saved) {
        for (const row of saved.rows) {
          const id = row[info.def.primaryId];
          if (typeof id !== 'string') continue;
          t.rows.set(id, row);
          this.indexKeys(t, id, row);
        }
        t.deleted = saved.deleted.slice();
        t.prunedUpTo = saved.prunedUpTo ?? 0;
      }
    }
  }

  private table(name: string): TableData {
    const t = this.data.get(name);
    if (!t) throw new Error(`unknown table ${name}`);
    return t;
  }

  nextVersion(): number {
    this.version += 1;
    return this.version;
  }

  get(table: string, id: string): Row | undefined {
    return this.table(table).rows.get(id);
  }

  tableNames(): IterableIterator<string> {
    return this.data.keys();
  }

  ids(table: string): IterableIterator<string> {
    return this.table(table).rows.keys();
  }

  count(table: string): number {
    return this.table(table).rows.size;
  }

  rows(table: string): IterableIterator<Row> {
    return this.table(table).rows.values();
  }

  /** Forget the id order (a bulk insert: one sort later is cheaper than 100,000 ordered inserts). */
  invalidateOrder(table: string): void {
    this.table(table).sortedIds = null;
  }

  /** Ids in primary-key order, the default order of an unordered query (Dataverse's own default order is not documented). */
  sortedIds(table: string): string[] {
    const t = this.table(table);
    if (!t.sortedIds) t.sortedIds = [...t.rows.keys()].sort();
    return t.sortedIds;
  }

  deletedSince(table: string, version: number): DeletedEntry[] {
    const log = this.table(table).deleted;
    // The log is in version order; scan back from the end (recent polls touch only its tail).
    let i = log.length;
    while (i > 0 && (log[i - 1]?.version ?? 0) > version) i--;
    return log.slice(i);
  }

  oldestDeletedVersion(table: string): number | undefined {
    return this.table(table).deleted[0]?.version;
  }

  /** A delta token at or below this version may miss deletions whose tombstones were pruned. */
  prunedUpTo(table: string): number {
    return this.table(table).prunedUpTo;
  }

  /** Drops tombstones past the retention period, then the oldest beyond the cap (in batches, so the cost is amortised). */
  private pruneTombstones(t: TableData, now: number): void {
    const log = t.deleted;
    const cutoff = now - this.tombstoneRetentionMs();
    let drop = 0;
    while (drop < log.length && (log[drop]?.at ?? 0) < cutoff) drop++;
    if (log.length - drop > this.maxTombstones + Math.ceil(this.maxTombstones / 10)) drop = log.length - this.maxTombstones;
    if (drop === 0) return;
    t.prunedUpTo = Math.max(t.prunedUpTo, log[drop - 1]?.version ?? 0);
    log.splice(0, drop);
  }

  keyValue(table: string, keyName: string, values: unknown[]): string | null {
    const parts: string[] = [];
    for (const v of values) {
      const p = keyPart(v);
      if (p === null) return null;
      parts.push(p);
    }
    void table;
    void keyName;
    return parts.join('\u0001');
  }

  findByKey(table: string, keyName: string, values: unknown[]): string | undefined {
    const kv = this.keyValue(table, keyName, values);
    if (kv === null) return undefined;
    return this.table(table).keys.get(keyName)?.get(kv);
  }

  /** The alternate key a row would violate (another row already holds the same values). */
  keyConflict(table: string, id: string, row: Row): { schemaName: string; columns: string[] } | null {
    const t = this.table(table);
    for (const k of t.info.def.alternateKeys) {
      const kv = this.keyValue(
        table,
        k.logicalName,
        k.columns.map((c) => row[c]),
      );
      if (kv === null) continue;
      const other = t.keys.get(k.logicalName)?.get(kv);
      if (other !== undefined && other !== id) return { schemaName: k.schemaName, columns: k.columns };
    }
    return null;
  }

  private indexKeys(t: TableData, id: string, row: Row): void {
    for (const k of t.info.def.alternateKeys) {
      const kv = this.keyValue(
        t.info.name,
        k.logicalName,
        k.columns.map((c) => row[c]),
      );
      if (kv !== null) t.keys.get(k.logicalName)?.set(kv, id);
    }
  }

  private unindexKeys(t: TableData, id: string, row: Row): void {
    for (const k of t.info.def.alternateKeys) {
      const kv = this.keyValue(
        t.info.name,
        k.logicalName,
        k.columns.map((c) => row[c]),
      );
      const index = t.keys.get(k.logicalName);
      if (kv !== null && index?.get(kv) === id) index.delete(kv);
    }
  }

  /** Insert or replace a row. */
  put(table: string, id: string, row: Row): void {
    const t = this.table(table);
    const previous = t.rows.get(id);
    if (previous) this.unindexKeys(t, id, previous);
    else if (t.sortedIds) insertSorted(t.sortedIds, id);
    t.rows.set(id, row);
    this.indexKeys(t, id, row);
    this.onWrite?.(table, id);
    if (this.undo) this.undo.push({ kind: 'put', table, id, previous });
  }

  remove(table: string, id: string): boolean {
    const t = this.table(table);
    const previous = t.rows.get(id);
    if (!previous) return false;
    this.unindexKeys(t, id, previous);
    t.rows.delete(id);
    if (t.sortedIds) removeSorted(t.sortedIds, id);
    this.onWrite?.(table, id);
    if (this.undo) {
      this.undo.push({ kind: 'put', table, id, previous });
      this.undo.push({ kind: 'deleted', table, length: t.deleted.length });
    }
    const now = Date.now();
    t.deleted.push({ id, version: this.nextVersion(), at: now });
    if (!this.undo) this.pruneTombstones(t, now);
    return true;
  }

  private restore(table: string, id: string, previous: Row | undefined): void {
    const t = this.table(table);
    this.onWrite?.(table, id);
    const current = t.rows.get(id);
    if (current) this.unindexKeys(t, id, current);
    if (previous) {
      if (!current) t.sortedIds = null;
      t.rows.set(id, previous);
      this.indexKeys(t, id, previous);
    } else if (current) {
      t.rows.delete(id);
      t.sortedIds = null;
    }
  }

  /**
   * Runs `fn` atomically: if it throws, every write it made is undone. Nested calls join. It is
   * synchronous on purpose: the whole Web API layer is synchronous over this in-memory store, so no
   * other request can interleave with a change set.
   */
  transaction<T>(fn: () => T): T {
    if (this.undo) return fn();
    this.undo = [];
    try {
      const result = fn();
      const deletedIn = new Set(this.undo.filter((u) => u.kind === 'deleted').map((u) => u.table));
      this.undo = null;
      const now = Date.now();
      for (const name of deletedIn) this.pruneTombstones(this.table(name), now);
      return result;
    } catch (e) {
      const log = this.undo ?? [];
      this.undo = null;
      for (let i = log.length - 1; i >= 0; i--) {
        const u = log[i];
        if (!u) continue;
        if (u.kind === 'put') this.restore(u.table, u.id, u.previous);
        else this.table(u.table).deleted.length = u.length;
      }
      throw e;
    }
  }

  serialize(): SerializedOrg {
    const tables: SerializedOrg['tables'] = {};
    for (const [name, t] of this.data) tables[name] = { rows: [...t.rows.values()], deleted: t.deleted, prunedUpTo: t.prunedUpTo };
    return { format: 1, version: this.version, tables };
  }
}
