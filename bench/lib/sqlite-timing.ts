/**
 * Diagnostics for the runtime benchmarks: times every SQLite statement this process prepares and
 * runs (better-sqlite3's `prepare` and the statement's `run`/`all`/`get`), so a benchmark can say
 * how much of a step's engine time is the database. It wraps the driver's methods in this process
 * only, and only when a benchmark asks for it (`--breakdown`); the runtime's code is untouched.
 * Kysely prepares each statement anew on every execution, so `prepare` is part of every query.
 */
import Database from 'better-sqlite3';

export interface SqlCall {
  /** performance.now() at the start of the prepare. */
  at: number;
  prepareMs: number;
  runMs: number;
  /** The statement's first words, e.g. `update "runs"` or `insert into "run_steps"`. */
  head: string;
}

const headOf = (sql: string) =>
  sql
    .trim()
    .split(/\s+/)
    .slice(0, 3)
    .join(' ')
    .replace(/\s+\($/, '')
    .toLowerCase()
    .slice(0, 40);

/** Starts recording; returns the list it appends to. Call once, before the database is opened. */
export function recordSqliteCalls(): SqlCall[] {
  const calls: SqlCall[] = [];
  const proto = Database.prototype as unknown as { prepare(this: unknown, sql: string): unknown };
  const prepare = proto.prepare;
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  const pending = new WeakMap<object, SqlCall>();
  proto.prepare = function (this: unknown, sql: string) {
    const t0 = performance.now();
    const stmt = prepare.call(this, sql) as object;
    const call: SqlCall = { at: t0, prepareMs: performance.now() - t0, runMs: 0, head: headOf(sql) };
    calls.push(call);
    pending.set(stmt, call);
    return stmt;
  };
  for (const method of ['run', 'all', 'get'] as const) {
    const original = statementProto[method]!;
    statementProto[method] = function (this: object, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const call = pending.get(this);
        if (call) call.runMs += performance.now() - t0;
      }
    };
  }
  return calls;
}
