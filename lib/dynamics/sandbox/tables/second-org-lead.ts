/**
 * lead as the second organization has customised it: the same system table, with a custom whole
 * number column (new_leadscore) and its own Lead Source choices (two of the standard options kept,
 * relabelled, plus custom 1000000xx options), as a maker's customisation of one environment leaves
 * the other environments of a tenant as they were.
 *
 * Learn: https://learn.microsoft.com/power-apps/maker/data-platform/custom-picklists
 */
import { choice, int, option } from './columns';
import { lead } from './lead';
import type { ColumnDef, TableDef } from './types';

const leadSource: ColumnDef = choice('lead', 'leadsourcecode', 'Lead Source', [
  option(1, 'Online ad'),
  option(4, 'Reseller'),
  option(100000000, 'Webinar'),
  option(100000001, 'Trade fair'),
  option(100000002, 'LinkedIn'),
]);

const leadScore: ColumnDef = int('lead', 'new_leadscore', 'Lead Score', 0, 100, {
  isCustom: true,
  schemaName: 'new_LeadScore',
  description: 'Score from 0 (cold) to 100 (ready to buy), set by the marketing team.',
});

export const secondOrgLead: TableDef = {
  ...lead,
  columns: lead.columns.flatMap((c) => (c.name === 'leadsourcecode' ? [leadSource, leadScore] : [c])),
};
