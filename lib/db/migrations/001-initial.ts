import type { Kysely } from 'kysely';

// Portable types only (text, integer) so the same migration builds the same schema on SQLite
// and PostgreSQL. Child rows reference their parent by (id, owner_id): the database itself then
// refuses a row whose owner differs from its parent's owner, whatever a repository does.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_owner_idx').on('api_tokens').column('owner_id').execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('application', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('service_url', 'text', (c) => c.notNull())
    .addColumn('api_version', 'text', (c) => c.notNull())
    .addColumn('identity_endpoint', 'text', (c) => c.notNull())
    .addColumn('auth_method', 'text', (c) => c.notNull())
    .addColumn('config_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('secrets_enc', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('principal', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('accounts_owner_app_name_uq', ['owner_id', 'application', 'name'])
    .execute();

  await db.schema
    .createTable('flows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('flows_id_owner_uq', ['id', 'owner_id'])
    .execute();
  await db.schema.createIndex('flows_owner_updated_idx').on('flows').columns(['owner_id', 'updated_at']).execute();

  await db.schema
    .createTable('flow_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('flow_versions_flow_version_uq', ['flow_id', 'version'])
    .addForeignKeyConstraint('flow_versions_flow_fk', ['flow_id', 'owner_id'], 'flows', ['id', 'owner_id'], (c) => c.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('flow_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('trigger_json', 'text')
    .addColumn('error_json', 'text')
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('runs_id_owner_uq', ['id', 'owner_id'])
    .addForeignKeyConstraint('runs_flow_fk', ['flow_id', 'owner_id'], 'flows', ['id', 'owner_id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('runs_owner_created_idx').on('runs').columns(['owner_id', 'created_at']).execute();
  await db.schema.createIndex('runs_flow_created_idx').on('runs').columns(['flow_id', 'created_at']).execute();
  await db.schema.createIndex('runs_status_idx').on('runs').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('run_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('input_json', 'text')
    .addColumn('output_json', 'text')
    .addColumn('error_json', 'text')
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addUniqueConstraint('run_steps_run_step_attempt_uq', ['run_id', 'step_id', 'attempt'])
    .addForeignKeyConstraint('run_steps_run_fk', ['run_id', 'owner_id'], 'runs', ['id', 'owner_id'], (c) => c.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('trigger_state')
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('trigger_key', 'text', (c) => c.notNull())
    .addColumn('cursor_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('trigger_state_pk', ['flow_id', 'trigger_key'])
    .addForeignKeyConstraint('trigger_state_flow_fk', ['flow_id', 'owner_id'], 'flows', ['id', 'owner_id'], (c) => c.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('app_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['app_settings', 'trigger_state', 'run_steps', 'runs', 'flow_versions', 'flows', 'accounts', 'api_tokens', 'users']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
