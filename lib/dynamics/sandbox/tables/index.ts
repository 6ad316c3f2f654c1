/** Every table the sandbox org has. Order = service-document order. */
import { account } from './account';
import { contact } from './contact';
import { accountleads, contactleads } from './intersect';
import { lead } from './lead';
import { businessunit, new_project, opportunity, systemuser, transactioncurrency } from './organization';
import { pricelevel, product, uom, uomschedule } from './product-catalog';
import { invoice, salesorder } from './sales-documents';
import type { TableDef } from './types';

export const allTables: readonly TableDef[] = [
  account,
  accountleads,
  businessunit,
  contact,
  contactleads,
  invoice,
  lead,
  new_project,
  opportunity,
  pricelevel,
  product,
  salesorder,
  systemuser,
  transactioncurrency,
  uom,
  uomschedule,
];
