/**
 * Runs an action by id for one account: finds the table in the account's metadata, builds that
 * table's input schema, validates the resolved input with it (the same schema the editor's form
 * came from) and runs the action.
 */
import type { z } from 'zod';
import type { DataverseClient } from '../client/types';
import { metadataCache as defaultCache, type MetadataCache } from '../metadata/metadata-cache';
import type { TableDirectory, TableSchema } from '../metadata/types';
import type { ActionContext, ActionDefinition, ConnectorDefinition } from './define';
import { dynamicsConnector } from './dynamics-connector';
import { ActionError } from './errors';
import { parseId } from './ids';

export interface ExecuteActionOptions {
  client: DataverseClient;
  actionId: string;
  input: unknown;
  cache?: MetadataCache;
  connector?: ConnectorDefinition;
  idempotencyKey?: string;
  attempt?: number;
  signal?: AbortSignal;
}

export interface ResolvedAction {
  definition: ActionDefinition<unknown, unknown>;
  table: TableSchema;
  directory: TableDirectory;
  schema: z.ZodType;
}

/** The action definition and the table's metadata for an id, for one account. */
export async function resolveAction(
  client: DataverseClient,
  id: string,
  cache: MetadataCache = defaultCache,
  connector: ConnectorDefinition = dynamicsConnector,
  signal?: AbortSignal,
): Promise<ResolvedAction> {
  const parsed = parseId(id);
  const definition = parsed?.action ? connector.actions.find((a) => a.kind === parsed.action) : undefined;
  if (!parsed || !definition) throw new ActionError('unknown_action', `There is no action "${id.slice(0, 100)}".`);
  const directory = await cache.tables(client, { signal });
  if (!directory.tables.some((t) => t.logicalName === parsed.table)) {
    throw new ActionError('unknown_table', `This account has no table "${parsed.table}" usable through the Web API.`);
  }
  const table = await cache.table(client, parsed.table, { signal });
  const def = definition as unknown as ActionDefinition<unknown, unknown>;
  return { definition: def, table, directory, schema: inputSchemaFor(def, table, directory) };
}

/**
 * Building an action's input schema for a table takes longer than the Dataverse call it guards
 * (about 0.2–0.7 ms). The metadata cache hands out the same table and directory objects until they
 * are refreshed, so the schema is kept per (action, table, directory) and rebuilt only then.
 */
const inputSchemas = new WeakMap<object, Map<object, { directory: object; schema: z.ZodType }>>();

function inputSchemaFor(def: ActionDefinition<unknown, unknown>, table: TableSchema, directory: TableDirectory): z.ZodType {
  let byAction = inputSchemas.get(table);
  if (!byAction) inputSchemas.set(table, (byAction = new Map()));
  const hit = byAction.get(def);
  if (hit && hit.directory === directory) return hit.schema;
  const schema = def.input(table, directory);
  byAction.set(def, { directory, schema });
  return schema;
}

/**
 * @example
 * await executeAction({ client, actionId: 'dynamics.contact.create', input: { fields: { lastname: 'Ng' } }, idempotencyKey: `${runId}:${stepId}` })
 */
export async function executeAction(opts: ExecuteActionOptions): Promise<unknown> {
  const resolved = await resolveAction(opts.client, opts.actionId, opts.cache, opts.connector, opts.signal);
  const parsed = resolved.schema.safeParse(opts.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.') || '(input)', message: i.message }));
    throw new ActionError(
      'invalid_input',
      `The input of ${opts.actionId} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  const ctx: ActionContext = {
    client: opts.client,
    table: resolved.table,
    directory: resolved.directory,
    signal: opts.signal,
    idempotencyKey: opts.idempotencyKey,
    attempt: opts.attempt,
  };
  return resolved.definition.run(ctx, parsed.data);
}
