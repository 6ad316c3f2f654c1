import type { Kysely } from 'kysely';

// The flow runtime (issue 9). The runs table is the durable queue of the embedded mode and the
// fence of the scale-out mode: a worker claims a run by bumping `fence` and setting a lease; every
// write of a step is conditioned on that fence, so a worker whose lease was taken over (a stalled
// handler, pg-boss redelivering a job) cannot write again. Times the runtime compares arithmetically
// (leases, availability, gates, heartbeats) are integer milliseconds since the epoch, as in
// rate_limits; the rest stays ISO text like the rest of the schema.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Publishing and starting: the version runs use, when the flow was started (only changes after
  // it count), and the hash of the API trigger's per-flow key (the key is shown once).
  await db.schema.alterTable('flows').addColumn('published_version', 'integer').execute();
  await db.schema.alterTable('flows').addColumn('started_at', 'text').execute();
  await db.schema.alterTable('flows').addColumn('invoke_key_hash', 'text').execute();
  await db.schema.alterTable('flows').addColumn('invoke_key_prefix', 'text').execute();
  await db.schema.createIndex('flows_status_idx').on('flows').column('status').execute();

  const runs = () => db.schema.alterTable('runs');
  await runs()
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('live'))
    .execute();
  await runs().addColumn('trigger_kind', 'text').execute();
  await runs().addColumn('dedupe_key', 'text').execute();
  await runs().addColumn('state_json', 'text').execute();
  await runs().addColumn('response_json', 'text').execute();
  await runs()
    .addColumn('fence', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await runs().addColumn('lease_owner', 'text').execute();
  await runs()
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await runs()
    .addColumn('available_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await runs()
    .addColumn('chain_depth', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await runs().addColumn('rerun_of', 'text').execute();
  await runs()
    .addColumn('step_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await runs().addColumn('updated_at', 'text').execute();
  // One run per trigger event: a poller's (record, version) or an API caller's idempotency key.
  await db.schema.createIndex('runs_flow_dedupe_uq').on('runs').columns(['flow_id', 'dedupe_key']).unique().execute();
  // The claim query: queued (or lease-expired running) runs whose time has come.
  await db.schema.createIndex('runs_claim_idx').on('runs').columns(['status', 'available_at']).execute();
  await db.schema.createIndex('runs_finished_idx').on('runs').column('finished_at').execute();

  // A step record's `step_id` is the step key: the node id, or `<forEachId>#<index>/<nodeId>` inside
  // a For each body, so each iteration's attempts are their own rows.
  await db.schema.alterTable('run_steps').addColumn('node_id', 'text').execute();
  await db.schema.alterTable('run_steps').addColumn('node_type', 'text').execute();
  await db.schema.alterTable('run_steps').addColumn('duration_ms', 'integer').execute();
  await db.schema.createIndex('run_steps_run_idx').on('run_steps').columns(['run_id', 'started_at']).execute();

  // Single-owner work (pollers, schedules, pruning): whoever holds the lease runs it.
  await db.schema
    .createTable('runtime_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  // Live worker processes (heartbeats): how the per-account concurrency cap is shared between them.
  await db.schema
    .createTable('runtime_workers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .execute();

  // A `Retry-After` seen by one process for an account holds for every process.
  await db.schema
    .createTable('account_gates')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('closed_until', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('account_gates').execute();
  await db.schema.dropTable('runtime_workers').execute();
  await db.schema.dropTable('runtime_leases').execute();
  await db.schema.dropIndex('run_steps_run_idx').execute();
  for (const column of ['duration_ms', 'node_type', 'node_id']) await db.schema.alterTable('run_steps').dropColumn(column).execute();
  for (const index of ['runs_finished_idx', 'runs_claim_idx', 'runs_flow_dedupe_uq']) await db.schema.dropIndex(index).execute();
  for (const column of [
    'updated_at',
    'step_count',
    'rerun_of',
    'chain_depth',
    'available_at',
    'lease_until',
    'lease_owner',
    'fence',
    'response_json',
    'state_json',
    'dedupe_key',
    'trigger_kind',
    'mode',
  ]) {
    await db.schema.alterTable('runs').dropColumn(column).execute();
  }
  await db.schema.dropIndex('flows_status_idx').execute();
  for (const column of ['invoke_key_prefix', 'invoke_key_hash', 'started_at', 'published_version']) {
    await db.schema.alterTable('flows').dropColumn(column).execute();
  }
}
