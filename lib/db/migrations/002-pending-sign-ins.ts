import type { Kysely } from 'kysely';

// "Sign in with Microsoft" in progress: one row per authorization request, keyed by a hash of its
// `state`, deleted when the callback consumes it. The browser's sealed cookie carries the details;
// this row is what makes each state usable once, even if the cookie is replayed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pending_sign_ins')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pending_sign_ins_expires_idx').on('pending_sign_ins').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pending_sign_ins').execute();
}
