import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache';

describe('withStatementCache', () => {
  it('prepares a SQL text once and reuses it, keeping at most `max` statements', () => {
    const raw = new Database(':memory:');
    let prepared = 0;
    const counting = { prepare: (sql: string) => (prepared++, raw.prepare(sql)), close: () => raw.close() };
    const db = withStatementCache(counting, 2);
    db.prepare('create table t (x)').run();
    const insert = db.prepare('insert into t values (?)');
    insert.run(1);
    expect(db.prepare('insert into t values (?)')).toBe(insert);
    db.prepare('insert into t values (?)').run(2);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 2 });
    expect(prepared).toBe(3);
    db.prepare('select 1'); // evicts the least recently used (create table)
    db.prepare('create table if not exists t (x)');
    expect(prepared).toBe(5);
    db.close();
  });
});
