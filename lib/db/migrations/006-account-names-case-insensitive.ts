import { sql, type Kysely } from 'kysely';

/**
 * Account names are unique per owner and application without regard to case ("Sales" and "SALES"
 * are one name). The index is on lower(name), the same expression on SQLite and PostgreSQL; SQLite's
 * lower() folds only ASCII letters, so the repository compares other letters itself as well.
 * Names that already differ only by case are told apart first: every one after the oldest gets
 * " (2)", " (3)"… (the first number no other name of that owner and application uses).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ id: string; owner_id: string; application: string; name: string }>`
    SELECT id, owner_id, application, name FROM accounts ORDER BY created_at, id
  `.execute(db);
  const scope = (row: { owner_id: string; application: string }) => `${row.owner_id}\u0000${row.application}\u0000`;
  const taken = new Set(rows.map((row) => scope(row) + row.name.toLowerCase()));
  const seen = new Set<string>();
  for (const row of rows) {
    const key = scope(row) + row.name.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    let n = 2;
    while (taken.has(scope(row) + `${row.name} (${n})`.toLowerCase())) n++;
    const name = `${row.name} (${n})`;
    taken.add(scope(row) + name.toLowerCase());
    seen.add(scope(row) + name.toLowerCase());
    await sql`UPDATE accounts SET name = ${name} WHERE id = ${row.id}`.execute(db);
  }
  await sql`CREATE UNIQUE INDEX accounts_owner_app_name_ci_uq ON accounts (owner_id, application, lower(name))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX accounts_owner_app_name_ci_uq`.execute(db);
}
