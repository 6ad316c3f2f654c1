/**
 * Create: POST to the table's entity set with a primary key chosen by us. The key is derived from
 * the run step's idempotency key when there is one, so a retry after a lost response addresses
 * the same row and the client treats Dataverse's duplicate-key answer as success: exactly one
 * record however often the step is retried.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 */
import { z } from 'zod';
import { defineAction } from '../define';
import { fieldsSchema } from '../form/column-schema';
import { toRecord } from '../values/to-record';
import { keyedCreate } from './keyed-create';

export interface CreateRecordInput {
  fields: Record<string, unknown>;
}

export const createRecord = defineAction({
  kind: 'create',
  title: (t) => `Create ${t.displayName.toLowerCase()}`,
  description: (t) => `Creates a new ${t.displayName.toLowerCase()} record in Dynamics 365 with the fields you set.`,
  docUrl: 'https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api',
  sideEffect: 'write',
  idempotency: 'key',
  retrySafety:
    'The record gets a primary key derived from the run step, so a retried create finds the record it already made instead of making a second one.',
  input: (table, directory) =>
    z.strictObject({ fields: fieldsSchema(table, directory, 'create') }) as unknown as z.ZodType<CreateRecordInput>,
  output: (table) => z.object({ id: z.string().meta({ title: `${table.displayName} id` }) }),
  run: async ({ client, table, directory, idempotencyKey, signal }, input) => {
    const data = toRecord(table, directory, input.fields, 'create');
    return { id: await keyedCreate(client, table, data, idempotencyKey, signal) };
  },
});
