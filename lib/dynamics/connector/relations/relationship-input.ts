/**
 * The inputs of "Relate records" and "Unrelate records", from the table's many-to-many
 * relationships in the account's metadata: the relationship (a choice of this table's own), the
 * record's id and the related record's id.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api#querying-relationship-definitions
 */
import { z } from 'zod';
import type { ManyToManyRelationship, TableDirectory, TableSchema, TableSummary } from '../../metadata/types';
import { ActionError } from '../errors';
import { guidSchema } from '../form/column-schema';

export interface RelationInput {
  relationship: string;
  id: string;
  relatedId: string;
}

const relatedName = (directory: TableDirectory, rel: ManyToManyRelationship): string =>
  directory.tables.find((t) => t.logicalName === rel.relatedTable)?.displayName ?? rel.relatedTable;

export function relationInputSchema(table: TableSchema, directory: TableDirectory): z.ZodType<RelationInput> {
  const rels = table.manyToMany ?? [];
  const names = rels.map((r) => r.schemaName);
  const relationship = (
    names.length
      ? z.enum(names as [string, ...string[]], { error: () => `Choose one of the ${table.displayName.toLowerCase()}'s relationships.` })
      : z.string().refine(() => false, `${table.displayName} has no many-to-many relationships in this organization.`)
  ).meta({
    title: 'Relationship',
    'x-widget': 'select',
    'x-choices': rels.map((r) => ({ value: r.schemaName, label: `${relatedName(directory, r)} (${r.schemaName})` })),
  });
  return z.strictObject({
    relationship,
    id: guidSchema.meta({ title: `${table.displayName} id`, 'x-widget': 'guid' }),
    relatedId: guidSchema.meta({ title: 'Related record id', 'x-widget': 'guid' }),
  }) as unknown as z.ZodType<RelationInput>;
}

/** The chosen relationship and the related table's entity set. */
export function resolveRelation(
  table: TableSchema,
  directory: TableDirectory,
  input: RelationInput,
): { relation: ManyToManyRelationship; related: TableSummary } {
  const relation = (table.manyToMany ?? []).find((r) => r.schemaName === input.relationship);
  if (!relation) throw new ActionError('invalid_input', `${table.displayName} has no relationship "${input.relationship}".`);
  const related = directory.tables.find((t) => t.logicalName === relation.relatedTable);
  if (!related) throw new ActionError('unknown_table', `This account has no table "${relation.relatedTable}" usable through the Web API.`);
  return { relation, related };
}

export const relationOutputSchema = () =>
  z.object({
    relationship: z.string().meta({ title: 'Relationship' }),
    id: z.string().meta({ title: 'Record id' }),
    relatedId: z.string().meta({ title: 'Related record id' }),
    changed: z.boolean().meta({ title: 'Changed (false when it already was so)' }),
  });
