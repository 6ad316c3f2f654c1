import type { Kysely } from 'kysely';
import type { DB } from './schema';

export type DatabaseKind = 'sqlite' | 'postgres';

/** An open database: the Kysely handle plus what it is. Repositories take this. */
export interface Db {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Where it is, safe to log: `./data/app.db` or `host:port/name` (never a password). */
  label: string;
  close(): Promise<void>;
}
