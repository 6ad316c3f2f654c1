/**
 * A create that is safe to retry: with a run step's idempotency key the primary key is derived
 * from it, so a second try addresses the same row, and Dataverse's duplicate-key answer means an
 * earlier try of this same step created it and its answer was lost (exactly one record per step).
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 */
import { isDataverseError } from '../../client/errors/dataverse-error';
import { DUPLICATE_KEY_CODE } from '../../client/errors/error-table';
import type { DataverseClient, DataverseRecord } from '../../client/types';
import type { TableSchema } from '../../metadata/types';
import { deterministicGuid } from '../guid';

export async function keyedCreate(
  client: DataverseClient,
  table: Pick<TableSchema, 'logicalName' | 'entitySetName' | 'primaryIdAttribute'>,
  data: DataverseRecord,
  idempotencyKey: string | undefined,
  signal?: AbortSignal,
): Promise<string> {
  if (!idempotencyKey) return (await client.create(table.entitySetName, data, { primaryKey: table.primaryIdAttribute, signal })).id;
  const id = deterministicGuid(`${table.logicalName}:${idempotencyKey}`);
  try {
    await client.create(table.entitySetName, data, { id, primaryKey: table.primaryIdAttribute, signal });
  } catch (err) {
    // The key belongs to this run step only, so "already exists" is this step's own earlier try.
    if (!(isDataverseError(err) && err.code === DUPLICATE_KEY_CODE)) throw err;
  }
  return id;
}
