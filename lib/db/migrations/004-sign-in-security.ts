import { sql, type Kysely } from 'kysely';

// Sign-in security: the throttle's counters live in the database (so a restart or a second
// instance neither resets nor multiplies them), sessions have a server-side record (so sign-out
// revokes them), and an API token remembers the token that minted it (so it dies with it).
// Times in rate_limits are integer milliseconds since the epoch (compared arithmetically in one
// upsert); everywhere else they stay ISO text like the rest of the schema.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('blocked_until', 'bigint', (c) => c.notNull())
    .addColumn('last_attempt', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_expires_idx').on('rate_limits').column('expires_at').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();

  await db.schema
    .alterTable('api_tokens')
    .addColumn('parent_token_id', 'text', (c) => c.references('api_tokens.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('api_tokens_parent_idx').on('api_tokens').column('parent_token_id').execute();
  // Tokens no longer live forever: one made before this migration without an expiry gets the
  // longest lifetime a new token may have (365 days) from now.
  const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
  await sql`UPDATE api_tokens SET expires_at = ${inAYear} WHERE expires_at IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('api_tokens_parent_idx').execute();
  await db.schema.alterTable('api_tokens').dropColumn('parent_token_id').execute();
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropTable('rate_limits').execute();
}
