/**
 * Unrelate records: removes the relation of two records through one of the table's many-to-many
 * relationships (`DELETE <set>(<id>)/<nav>(<related id>)/$ref`). Removing a relation that is not
 * there succeeds (Dataverse answers 204 for it); on a retry, a record already gone counts as done.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api#remove-a-reference-to-a-table
 */
import { DataverseError } from '../../client/errors/dataverse-error';
import { defineAction } from '../define';
import { relationInputSchema, relationOutputSchema, resolveRelation, type RelationInput } from '../relations/relationship-input';

export const unrelateRecords = defineAction({
  kind: 'unrelate',
  title: (t) => `Unrelate ${t.displayName.toLowerCase()} records`,
  description: (t) => `Removes the relation between a ${t.displayName.toLowerCase()} and another record in a many-to-many relationship.`,
  docUrl:
    'https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api#remove-a-reference-to-a-table',
  sideEffect: 'write',
  idempotency: 'natural',
  retrySafety: 'Unrelating twice has the same effect as once: a relation that is not there is already removed.',
  input: (table, directory) => relationInputSchema(table, directory),
  output: () => relationOutputSchema(),
  run: async ({ client, table, directory, signal, attempt }, input: RelationInput) => {
    const { relation } = resolveRelation(table, directory, input);
    try {
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
      await client.disassociate(table.entitySetName, input.id, relation.navigationProperty, input.relatedId, signal);
    } catch (err) {
      if (!(err instanceof DataverseError && err.status === 404 && (attempt ?? 1) > 1)) throw err;
    }
    return { relationship: relation.schemaName, id: input.id, relatedId: input.relatedId, changed: true };
  },
});
