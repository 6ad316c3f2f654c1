import type { Db } from '@/lib/db/database';

/** Who is asking, and the database: every flow and run use case is scoped to `ownerId`. */
export interface FlowServiceContext {
  db: Db;
  ownerId: string;
  /** Aborts when the caller goes away (validation may call Dataverse for metadata). */
  signal?: AbortSignal;
}
