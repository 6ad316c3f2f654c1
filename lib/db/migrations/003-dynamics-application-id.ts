import { sql, type Kysely } from 'kysely';

// Accounts were stored under the application id 'dynamics365-sales' while the connector, the
// catalog and flow step types call the application 'dynamics'. One id everywhere from now on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE accounts SET application = 'dynamics' WHERE application = 'dynamics365-sales'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE accounts SET application = 'dynamics365-sales' WHERE application = 'dynamics'`.execute(db);
}
