/**
 * Relate records: associates a record with another through one of the table's many-to-many
 * relationships (`POST <set>(<id>)/<nav>/$ref`). Idempotent for a flow's retries: a pair already
 * related is Dataverse's duplicate answer, taken as success (`changed: false`).
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api#add-a-reference-to-a-collection-valued-navigation-property
 */
import { DataverseError } from '../../client/errors/dataverse-error';
import { DUPLICATE_KEY_CODE } from '../../client/errors/error-table';
import { defineAction } from '../define';
import { relationInputSchema, relationOutputSchema, resolveRelation, type RelationInput } from '../relations/relationship-input';

const isDuplicate = (err: unknown): boolean => err instanceof DataverseError && (err.code === DUPLICATE_KEY_CODE || err.status === 412);

export const relateRecords = defineAction({
  kind: 'relate',
  title: (t) => `Relate ${t.displayName.toLowerCase()} records`,
  description: (t) => `Relates a ${t.displayName.toLowerCase()} to another record through one of its many-to-many relationships.`,
  docUrl:
    'https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api#add-a-reference-to-a-collection-valued-navigation-property',
  sideEffect: 'write',
  idempotency: 'natural',
  retrySafety: 'Relating two records that are already related changes nothing: Dataverse answers it as a duplicate, taken as done.',
  input: (table, directory) => relationInputSchema(table, directory),
  output: () => relationOutputSchema(),
  run: async ({ client, table, directory, signal }, input: RelationInput) => {
    const { relation, related } = resolveRelation(table, directory, input);
    let changed = true;
    try {
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
      await client.associate(
        table.entitySetName,
        input.id,
        relation.navigationProperty,
        { entitySet: related.entitySetName, id: input.relatedId },
        signal,
      );
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      changed = false;
    }
    return { relationship: relation.schemaName, id: input.id, relatedId: input.relatedId, changed };
  },
});
