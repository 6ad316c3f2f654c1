/**
 * A better-sqlite3 database whose prepared statements are reused: Kysely prepares every query
 * anew (about 0.05 ms each, several per flow step), while the app runs the same few hundred SQL
 * texts over and over. Safe because Kysely's SQLite driver runs one query at a time on its single
 * connection, and a statement holds no state between runs. Bounded, least recently used out.
 */
export interface PreparingDatabase<S> {
  prepare(sql: string): S;
  close(): void;
}

export function withStatementCache<S>(db: PreparingDatabase<S>, max = 500): PreparingDatabase<S> {
  const cache = new Map<string, S>();
  return {
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit !== undefined) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return stmt;
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}
