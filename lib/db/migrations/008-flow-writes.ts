import type { Kysely } from 'kysely';

// Dynamics records a flow itself wrote (issue 9, "ignore changes that this flow itself wrote"): the
// runtime records each successful Dynamics write step, and the flow's Dynamics event poller skips a
// change of such a record whose modifiedon falls within a short window after the write, so a flow
// that updates the table it watches does not start itself again. Rows are pruned after a while.
// `written_at` is epoch milliseconds (compared arithmetically, like the other runtime times).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_writes')
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('written_at', 'bigint', (c) => c.notNull())
    .execute();
  // The poller's lookup: did this flow write this record lately?
  await db.schema
    .createIndex('flow_writes_lookup_idx')
    .on('flow_writes')
    .columns(['flow_id', 'table_name', 'record_id', 'written_at'])
    .execute();
  // Pruning by age.
  await db.schema.createIndex('flow_writes_written_idx').on('flow_writes').column('written_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_writes').execute();
}
