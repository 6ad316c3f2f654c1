/**
 * new_milestone: a custom table only the second organization has (a project's milestones), with a
 * custom lookup to new_project, a choice, and an alternate key on its code.
 */
import { bool, choice, date, int, lookup, option, str } from './columns';
import { activeInactive, defineTable } from './define-table';

export const new_milestone = defineTable({
  logicalName: 'new_milestone',
  schemaName: 'new_Milestone',
  displayName: 'Milestone',
  displayCollectionName: 'Milestones',
  description: 'Milestones of a customer project (custom table).',
  primaryName: 'new_name',
  primaryNameLength: 200,
  primaryNameRequired: 'ApplicationRequired',
  ownership: 'UserOwned',
  objectTypeCode: 10011,
  isCustom: true,
  alternateKeys: [{ name: 'new_MilestoneCodeKey', displayName: 'Milestone Code', columns: ['new_code'] }],
  ...activeInactive,
  columns: (t) => [
    str(t, 'new_code', 'Milestone Code', 20, 'ApplicationRequired', { isCustom: true, schemaName: 'new_Code' }),
    lookup(t, 'new_projectid', 'Project', 'new_project', 'new_new_project_new_milestone_ProjectId', {
      isCustom: true,
      schemaName: 'new_ProjectId',
    }),
    date(t, 'new_duedate', 'Due Date', true, { isCustom: true, schemaName: 'new_DueDate' }),
    int(t, 'new_weight', 'Weight', 1, 10, { isCustom: true, schemaName: 'new_Weight' }),
    choice(
      t,
      'new_milestonestatus',
      'Milestone Status',
      [option(100000000, 'Open'), option(100000001, 'Reached'), option(100000002, 'Missed')],
      {
        isCustom: true,
        schemaName: 'new_MilestoneStatus',
        defaultValue: 100000000,
      },
    ),
    bool(t, 'new_billable', 'Billable', ['No', 'Yes'], { isCustom: true, schemaName: 'new_Billable' }),
  ],
});
