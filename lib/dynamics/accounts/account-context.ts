import type { Db } from '@/lib/db/database';

/** Who is asking and where the app itself lives (the sandbox is under its origin): what every accounts use case needs. */
export interface AccountContext {
  db: Db;
  ownerId: string;
  appOrigin: string;
}
