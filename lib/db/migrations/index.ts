import type { Migration } from 'kysely';
import * as m001 from './001-initial';

// A static list rather than a folder scan: Next bundles the server, so there is no migrations
// folder to read at run time. Append new migrations here; names sort in the order they apply.
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
};
