export { dynamicsConnector } from './dynamics-connector';
export { defineAction, defineConnector, defineTrigger } from './define';
export type {
  ActionContext,
  ActionDefinition,
  ActionKind,
  ConnectorDefinition,
  EventKind,
  Idempotency,
  SideEffect,
  TableLabel,
  TriggerDefinition,
} from './define';
export { actionId, eventId, parseId, CONNECTOR_ID, ACTION_KINDS, EVENT_KINDS } from './ids';
export { type CatalogAction, type CatalogApplication, type CatalogEntry, type CatalogEvent, type CatalogObject } from './catalog';
export { describeAccountCatalog, describeTable, MAX_DESCRIBED_TABLES, type AccountCatalog, type TableDetails } from './account-catalog';
export { executeAction, resolveAction } from './execute-action';
export { describeForm, type FormDescription, type FormField } from '../../forms/describe-form';
export { ActionError, type ActionErrorCode } from './errors';
export { poll, DEFAULT_MAX_EVENTS, DEFAULT_OVERLAP_SECONDS } from './triggers/poll';
export type { PollConfig, PollCursor, PollResult, RecordEvent } from './triggers/poll-types';
export { toPollConfig } from './triggers/trigger-config';
export { DEFAULT_MAX_ITEMS, MAX_ITEMS_CEILING, MAX_MATCHES_CEILING } from './query/limits';
export { BUILT_IN_TABLES } from './built-in-tables';
