/**
 * What `GET /api/connectors/dynamics?account=<id>` returns: the Dynamics application as this
 * account sees it (built-in objects that exist there, then every other discovered table), and,
 * for the requested tables, their columns and the forms of their actions and events.
 */
import type { DataverseClient } from '../client/types';
import { metadataCache as defaultCache, type MetadataCache } from '../metadata/metadata-cache';
import type { TableSchema, TableSummary } from '../metadata/types';
import { BUILT_IN_TABLES, isBuiltInTable } from './built-in-tables';
import { catalogObject, dynamicsApplication, type DynamicsApplication } from './catalog';
import { dynamicsConnector } from './dynamics-connector';
import { describeForm, type FormDescription } from '../../forms/describe-form';
import { actionId, eventId } from './ids';

/** Tables described in one answer at most (each costs several metadata requests the first time). */
export const MAX_DESCRIBED_TABLES = 20;

export interface TableDetails {
  schema: TableSchema;
  /** Action id → the form of its input. */
  actions: Record<string, { input: FormDescription; output: FormDescription }>;
  /** Event id → the form of its settings. */
  events: Record<string, { config: FormDescription }>;
}

export interface AccountCatalog {
  accountId: string;
  application: DynamicsApplication;
  tables: TableSummary[];
  details: Record<string, TableDetails>;
}

export function describeTable(schema: TableSchema, directory: { tables: TableSummary[] }): TableDetails {
  const details: TableDetails = { schema, actions: {}, events: {} };
  for (const a of dynamicsConnector.actions) {
    details.actions[actionId(schema.logicalName, a.kind)] = {
      input: describeForm(a.input(schema, directory)),
      output: describeForm(a.output(schema)),
    };
  }
  for (const t of dynamicsConnector.triggers) {
    if (t.requiresChangeTracking && !schema.changeTrackingEnabled) continue;
    details.events[eventId(schema.logicalName, t.event)] = { config: describeForm(t.config(schema)) };
  }
  return details;
}

/**
 * @example const view = await describeAccountCatalog(client, { tables: ['new_project'] }); view.details.new_project.actions['dynamics.new_project.create'].input.fields
 */
export async function describeAccountCatalog(
  client: DataverseClient,
  opts: {
    tables?: string[];
    refresh?: boolean;
    cache?: MetadataCache;
    signal?: AbortSignal;
    /** false: the table list only, no columns or forms. */ describe?: boolean;
  } = {},
): Promise<AccountCatalog> {
  const cache = opts.cache ?? defaultCache;
  if (opts.refresh) await cache.invalidate(client.accountId);
  const directory = await cache.tables(client, { signal: opts.signal });
  const byName = new Map(directory.tables.map((t) => [t.logicalName, t]));
  const builtIns = BUILT_IN_TABLES.flatMap((b) => {
    const found = byName.get(b.logicalName);
    return found
      ? [catalogObject(dynamicsConnector, { ...found, displayName: b.displayName, displayCollectionName: b.displayCollectionName }, true)]
      : [];
  });
  const discovered = directory.tables.filter((t) => !isBuiltInTable(t.logicalName)).map((t) => catalogObject(dynamicsConnector, t, false));
  const requested = opts.describe === false ? [] : opts.tables?.length ? opts.tables : BUILT_IN_TABLES.map((t) => t.logicalName);
  const wanted = requested.filter((t) => byName.has(t)).slice(0, MAX_DESCRIBED_TABLES);
  const schemas = await Promise.all(wanted.map((t) => cache.table(client, t, { signal: opts.signal })));
  const details: Record<string, TableDetails> = {};
  for (const schema of schemas) details[schema.logicalName] = describeTable(schema, directory);
  return { accountId: client.accountId, application: dynamicsApplication([...builtIns, ...discovered]), tables: directory.tables, details };
}
