import { Migrator } from 'kysely';
import type { Db } from './handle';
import { migrations } from './migrations';

/** Name of Kysely's bookkeeping table (and `<name>_lock`). */
export const MIGRATION_TABLE = 'schema_migrations';

/**
 * Applies every pending migration from lib/db/migrations, in name order, on either database.
 * Throws when one fails (earlier ones stay applied).
 * @example const { applied } = await migrateToLatest(db); // ['001-initial'] on a fresh database
 */
export async function migrateToLatest(db: Db): Promise<{ applied: string[] }> {
  const migrator = new Migrator({
    db: db.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: `${MIGRATION_TABLE}_lock`,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? '(before any migration ran)';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration ${failed} failed: ${reason}`, { cause: error });
  }
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
