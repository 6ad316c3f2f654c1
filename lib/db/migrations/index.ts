import type { Migration } from 'kysely';
import * as m001 from './001-initial';
import * as m002 from './002-pending-sign-ins';
import * as m003 from './003-dynamics-application-id';
import * as m004 from './004-sign-in-security';
import * as m006 from './006-account-names-case-insensitive';
import * as m007 from './007-flow-runtime';
import * as m008 from './008-flow-writes';

// A static list rather than a folder scan: Next bundles the server, so there is no migrations
// folder to read at run time. Append new migrations here; names sort in the order they apply.
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-pending-sign-ins': m002,
  '003-dynamics-application-id': m003,
  '004-sign-in-security': m004,
  '006-account-names-case-insensitive': m006,
  '007-flow-runtime': m007,
  '008-flow-writes': m008,
};
