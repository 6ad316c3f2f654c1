/**
 * The declarative shape of a connector: an application with actions and triggers,
 * each declared once per kind and instantiated for every table. A kind declares its side-effect
 * class and idempotency so the engine can decide what it may retry on its own (see docs/architecture.md).
 */
import type { z } from 'zod';
import type { DataverseClient } from '../client/types';
import type { TableDirectory, TableSchema } from '../metadata/types';
import type { AuthMethodDescription } from './auth/define-connection';

export type SideEffect = 'read' | 'write';
/** `key`: a key makes a retry land on the same row; `natural`: repeating it has the same effect; `none`: not safe to repeat. */
export type Idempotency = 'key' | 'natural' | 'none';

export type ActionKind = 'create' | 'retrieve' | 'update' | 'upsert' | 'delete' | 'relate' | 'unrelate';
export type EventKind = 'new' | 'updated' | 'new_or_updated' | 'deleted';

/** What a title needs to know about a table; available without metadata for the built-in six. */
export interface TableLabel {
  logicalName: string;
  displayName: string;
  displayCollectionName: string;
}

export interface ActionContext {
  client: DataverseClient;
  table: TableSchema;
  directory: TableDirectory;
  signal?: AbortSignal;
  /** Stable for one step of one run (e.g. `<runId>:<stepId>`): a retried create reuses the same primary key. */
  idempotencyKey?: string;
  /** 1 on the first try, 2+ when the engine retries the step. */
  attempt?: number;
}

export interface ActionDefinition<TInput = unknown, TOutput = unknown> {
  kind: ActionKind;
  title: (t: TableLabel) => string;
  description: (t: TableLabel) => string;
  /** Microsoft Learn page for the Web API operation behind it. */
  docUrl: string;
  sideEffect: SideEffect;
  idempotency: Idempotency;
  /** How a retry is made safe, in plain words (shown to people and read by reviewers). */
  retrySafety: string;
  /** The input schema for one table of one account: the editor form and server validation both come from it. */
  input: (table: TableSchema, directory: TableDirectory) => z.ZodType<TInput>;
  output: (table: TableSchema) => z.ZodType<TOutput>;
  run: (ctx: ActionContext, input: TInput) => Promise<TOutput>;
}

export interface TriggerDefinition<TConfig = unknown> {
  event: EventKind;
  title: (t: TableLabel) => string;
  description: (t: TableLabel) => string;
  docUrl: string;
  /** Polled at the interval the user sets; the flow runtime schedules it. */
  mode: 'poll';
  /** Whether the table must have change tracking enabled (Deleted needs it). */
  requiresChangeTracking: boolean;
  /** Shown under "Show more configurable events" rather than by default. */
  configurable: boolean;
  config: (table: TableSchema) => z.ZodType<TConfig>;
}

export interface ConnectorDefinition {
  id: string;
  title: string;
  description: string;
  /** How its accounts connect: the single description the connect form, validation and storage derive from. */
  auth: { methods: readonly AuthMethodDescription[] };
  /** Objects offered before any account is connected, in catalog order. */
  builtInTables: readonly TableLabel[];
  actions: readonly ActionDefinition<never, unknown>[];
  triggers: readonly TriggerDefinition<never>[];
}

/** @example export const createRecord = defineAction({ kind: 'create', sideEffect: 'write', idempotency: 'key', ... }) */
export function defineAction<TInput, TOutput>(def: ActionDefinition<TInput, TOutput>): ActionDefinition<TInput, TOutput> {
  if (def.sideEffect === 'read' && def.idempotency !== 'natural') throw new Error(`A read action (${def.kind}) is naturally idempotent.`);
  return def;
}

/** @example export const recordChanged = defineTrigger({ event: 'new_or_updated', mode: 'poll', ... }) */
export function defineTrigger<TConfig>(def: TriggerDefinition<TConfig>): TriggerDefinition<TConfig> {
  return def;
}

/** @example export const dynamicsConnector = defineConnector({ id: 'dynamics', actions: [createRecord, ...], triggers: [...] }) */
export function defineConnector(def: ConnectorDefinition): ConnectorDefinition {
  const kinds = def.actions.map((a) => a.kind);
  if (new Set(kinds).size !== kinds.length) throw new Error(`Connector ${def.id} declares an action kind twice.`);
  const events = def.triggers.map((t) => t.event);
  if (new Set(events).size !== events.length) throw new Error(`Connector ${def.id} declares an event kind twice.`);
  return def;
}
