import type { TableLabel } from './define';

/** The six Sales objects offered before any account is connected, in catalog order. */
export const BUILT_IN_TABLES: readonly TableLabel[] = [
  { logicalName: 'account', displayName: 'Account', displayCollectionName: 'Accounts' },
  { logicalName: 'contact', displayName: 'Contact', displayCollectionName: 'Contacts' },
  { logicalName: 'invoice', displayName: 'Invoice', displayCollectionName: 'Invoices' },
  { logicalName: 'lead', displayName: 'Lead', displayCollectionName: 'Leads' },
  { logicalName: 'salesorder', displayName: 'Order', displayCollectionName: 'Orders' },
  { logicalName: 'product', displayName: 'Product', displayCollectionName: 'Products' },
];

export const isBuiltInTable = (logicalName: string) => BUILT_IN_TABLES.some((t) => t.logicalName === logicalName);
