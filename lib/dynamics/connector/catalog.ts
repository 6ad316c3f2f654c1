/**
 * What `GET /api/connectors` returns: every application with its events and actions. Dynamics'
 * are also grouped by object (`objects`) for the catalog's "Accounts, Contacts, …" sections.
 * Static: needs no account and no I/O.
 */
import type { TableSummary } from '../metadata/types';
import type { ActionDefinition, ConnectorDefinition, Idempotency, SideEffect, TableLabel, TriggerDefinition } from './define';
import { dynamicsConnector } from './dynamics-connector';
import { actionId, eventId } from './ids';
import type { CatalogApplication, CatalogEntry } from '../../connectors/application';

export type { CatalogApplication, CatalogEntry };

/** Dynamics' entry in the catalog, with its events and actions also grouped by table. */
export interface DynamicsApplication extends CatalogApplication {
  objects: CatalogObject[];
}

export interface CatalogAction extends CatalogEntry {
  kind: 'action';
  table: string;
  operation: ActionDefinition['kind'];
  sideEffect: SideEffect;
  idempotency: Idempotency;
  retrySafety: string;
  docUrl: string;
}

export interface CatalogEvent extends CatalogEntry {
  kind: 'trigger';
  table: string;
  event: TriggerDefinition['event'];
  mode: 'poll';
  /** Listed under "Show more configurable events". */
  configurable: boolean;
  requiresChangeTracking: boolean;
  docUrl: string;
}

export interface CatalogObject {
  table: string;
  displayName: string;
  displayCollectionName: string;
  builtIn: boolean;
  isCustom: boolean;
  /** Unknown (null) until an account's metadata says so. */
  changeTrackingEnabled: boolean | null;
  events: CatalogEvent[];
  actions: CatalogAction[];
}

export function catalogObject(
  connector: ConnectorDefinition,
  table: TableLabel & Partial<Pick<TableSummary, 'isCustom' | 'changeTrackingEnabled'>>,
  builtIn: boolean,
): CatalogObject {
  const tracking = table.changeTrackingEnabled ?? null;
  return {
    table: table.logicalName,
    displayName: table.displayName,
    displayCollectionName: table.displayCollectionName,
    builtIn,
    isCustom: table.isCustom ?? false,
    changeTrackingEnabled: tracking,
    // Without metadata Deleted is listed (flagged); with metadata only where change tracking is on.
    events: connector.triggers
      .filter((t) => !t.requiresChangeTracking || tracking !== false)
      .map((t) => ({
        id: eventId(table.logicalName, t.event),
        kind: 'trigger',
        table: table.logicalName,
        event: t.event,
        title: t.title(table),
        description: t.description(table),
        mode: t.mode,
        configurable: t.configurable,
        requiresChangeTracking: t.requiresChangeTracking,
        docUrl: t.docUrl,
      })),
    actions: connector.actions.map((a) => ({
      id: actionId(table.logicalName, a.kind),
      kind: 'action',
      table: table.logicalName,
      operation: a.kind,
      title: a.title(table),
      description: a.description(table),
      sideEffect: a.sideEffect,
      idempotency: a.idempotency,
      retrySafety: a.retrySafety,
      docUrl: a.docUrl,
    })),
  };
}

export function dynamicsApplication(objects: CatalogObject[], connector: ConnectorDefinition = dynamicsConnector): DynamicsApplication {
  return {
    id: connector.id,
    title: connector.title,
    description: connector.description,
    requiresAccount: true,
    authMethods: connector.auth.methods.map((m) => ({ id: m.id, title: m.title, shortTitle: m.shortTitle, summary: m.summary })),
    objects,
    events: objects.flatMap((o) => o.events),
    actions: objects.flatMap((o) => o.actions),
  };
}
