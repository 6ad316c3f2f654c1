/**
 * The second organization's tables: the first's, with its own customisations of lead and one custom
 * table the first lacks (new_milestone). Order = service-document order.
 */
import { allTables } from './index';
import { new_milestone } from './milestone';
import { secondOrgLead } from './second-org-lead';
import type { TableDef } from './types';

export const secondOrgTables: readonly TableDef[] = [
  ...allTables.map((t) => (t.logicalName === 'lead' ? secondOrgLead : t)),
  new_milestone,
].sort((a, b) => a.logicalName.localeCompare(b.logicalName));
