import { contactParts } from '../../metadata/__fixtures__/contact-metadata';
import { normalizeTableSchema } from '../../metadata/normalize-table-schema';
import type { TableDirectory, TableSchema, TableSummary } from '../../metadata/types';

export const contact: TableSchema = normalizeTableSchema(contactParts);

const summary = (logicalName: string, entitySetName: string, displayName: string): TableSummary => ({
  logicalName,
  schemaName: logicalName,
  entitySetName,
  displayName,
  displayCollectionName: `${displayName}s`,
  description: '',
  primaryIdAttribute: `${logicalName}id`,
  primaryNameAttribute: 'name',
  isCustom: false,
  ownership: 'UserOwned',
  changeTrackingEnabled: true,
});

export const directory: TableDirectory = {
  tables: [
    summary('account', 'accounts', 'Account'),
    contact,
    summary('lead', 'leads', 'Lead'),
    summary('systemuser', 'systemusers', 'User'),
    summary('team', 'teams', 'Team'),
  ],
};

export const column = (name: string) => {
  const c = contact.columns.find((x) => x.logicalName === name);
  if (!c) throw new Error(`fixture has no column ${name}`);
  return c;
};
