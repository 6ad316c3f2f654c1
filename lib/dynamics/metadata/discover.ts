/**
 * Discovery I/O: asks the account's organization for its metadata through `client.getMetadata`
 * and hands the answers to the pure normalizers. Every answer is validated (a Dataverse answer is
 * untrusted input); a malformed one fails with MetadataShapeError naming the path and property.
 */
import type { z } from 'zod';
import type { DataverseClient } from '../client/types';
import { ENUM_ATTRIBUTE_CASTS, metadataPaths } from './metadata-paths';
import { normalizeTableList } from './normalize-table';
import { normalizeTableSchema } from './normalize-table-schema';
import {
  collectionOf,
  rawAttributeSchema,
  rawEntityDefinitionSchema,
  rawEnumAttributeSchema,
  rawKeySchema,
  rawManyToManySchema,
  rawRelationshipSchema,
} from './raw-types';
import type { TableDirectory, TableSchema } from './types';

export class MetadataShapeError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`Dataverse answered ${path.split('?')[0]} with metadata we cannot read: ${detail}`);
    this.name = 'MetadataShapeError';
  }
}

async function fetchAs<T extends z.ZodType>(client: DataverseClient, path: string, schema: T, signal?: AbortSignal): Promise<z.infer<T>> {
  const raw = await client.getMetadata<unknown>(path, signal);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MetadataShapeError(path, issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape');
  }
  return parsed.data;
}

/**
 * Every table usable through the Web API.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api#querying-entitydefinitions
 * @example const { tables } = await discoverTables(client); tables.map((t) => t.entitySetName)
 */
export async function discoverTables(client: DataverseClient, signal?: AbortSignal): Promise<TableDirectory> {
  const answer = await fetchAs(client, metadataPaths.tables(), collectionOf(rawEntityDefinitionSchema), signal);
  return { tables: normalizeTableList(answer.value) };
}

/**
 * One table with its columns, choices, lookup targets, alternate keys and many-to-many
 * relationships (…/webapi/query-metadata-web-api#querying-relationship-definitions). The requests run
 * concurrently; the client's per-account concurrency limit keeps that polite.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api#retrieving-attributes
 * and …/webapi/web-api-navigation-properties (ReferencingEntityNavigationPropertyName for `@odata.bind`).
 * @example const contact = await discoverTable(client, 'contact'); contact.columns.find((c) => c.logicalName === 'parentcustomerid')
 */
export async function discoverTable(client: DataverseClient, logicalName: string, signal?: AbortSignal): Promise<TableSchema> {
  const [entity, attributes, relationships, keys, manyToMany, ...enums] = await Promise.all([
    fetchAs(client, metadataPaths.table(logicalName), rawEntityDefinitionSchema, signal),
    fetchAs(client, metadataPaths.attributes(logicalName), collectionOf(rawAttributeSchema), signal),
    fetchAs(client, metadataPaths.manyToOne(logicalName), collectionOf(rawRelationshipSchema), signal),
    fetchAs(client, metadataPaths.keys(logicalName), collectionOf(rawKeySchema), signal),
    fetchAs(client, metadataPaths.manyToMany(logicalName), collectionOf(rawManyToManySchema), signal),
    ...ENUM_ATTRIBUTE_CASTS.map((cast) =>
      fetchAs(client, metadataPaths.enumAttributes(logicalName, cast), collectionOf(rawEnumAttributeSchema), signal),
    ),
  ]);
  return normalizeTableSchema({
    entity,
    attributes: attributes.value,
    relationships: relationships.value,
    keys: keys.value,
    manyToMany: manyToMany.value,
    enumAttributes: enums.flatMap((e) => e.value),
  });
}
