import type { Db } from './database';

/**
 * Runs `fn` in one transaction and hands it a Db bound to that transaction, so any repository
 * function can take part (e.g. enqueue a run and advance a trigger cursor atomically). Inside a
 * transaction already, `fn` simply joins it.
 * On SQLite all queries share one connection: inside `fn` use only `tx`, never the outer Db, or
 * the outer query waits for the transaction that waits for it.
 * @example await withTransaction(db, async (tx) => { await createRun(tx, ...); await putTriggerState(tx, ...); });
 */
export async function withTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (db.db.isTransaction) return fn(db);
  return db.db.transaction().execute((trx) =>
    fn({
      db: trx,
      kind: db.kind,
      label: db.label,
      close: async () => {
        throw new Error('close the Db the transaction came from, not the transaction');
      },
    }),
  );
}
